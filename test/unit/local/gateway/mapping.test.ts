import { describe, expect, it } from 'vitest';
import {
  flattenClaims,
  formatRequestTime,
  isTextContentType,
  MalformedProxyResultError,
  mapProxyResult,
} from '../../../../infra/local/gateway/index.ts';

describe('flattenClaims', () => {
  it('renders every claim as a string, the way the API Gateway JWT authorizer does', () => {
    // Prepare
    const claims = {
      sub: 'user-1',
      'cognito:groups': ['caseworker', 'supervisor'],
      exp: 1_767_254_400,
      email_verified: true,
      address: { region: '浙江', locality: '湖州' },
    };

    // Act
    const flattened = flattenClaims(claims);

    // Assess
    expect(flattened).toEqual({
      sub: 'user-1',
      'cognito:groups': '[caseworker supervisor]',
      exp: '1767254400',
      email_verified: 'true',
      address: 'map[locality:湖州 region:浙江]',
    });
  });
});

describe('mapProxyResult', () => {
  it('maps a structured result: status, headers, cookies and a base64 body', () => {
    // Prepare
    const result = {
      statusCode: 201,
      headers: { 'content-type': 'application/pdf', 'x-count': 3, 'content-length': '999' },
      cookies: ['a=1; Path=/', 'b=2'],
      body: Buffer.from('%PDF-1.7').toString('base64'),
      isBase64Encoded: true,
    };

    // Act
    const response = mapProxyResult(result);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual({ 'content-type': 'application/pdf', 'x-count': '3' });
    expect(response.cookies).toEqual(['a=1; Path=/', 'b=2']);
    expect(response.body?.toString('utf8')).toBe('%PDF-1.7');
  });

  it.each([
    [{ message: 'hello' }, '{"message":"hello"}'],
    ['hello', '"hello"'],
    [42, '42'],
    [undefined, 'null'],
  ])('returns any other result %j as 200 JSON', (result, body) => {
    // Prepare
    // (the result above)

    // Act
    const response = mapProxyResult(result);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    expect(response.body?.toString('utf8')).toBe(body);
  });

  it.each([
    { statusCode: '200' },
    { statusCode: 42 },
    { statusCode: 200, body: { not: 'a string' } },
    { statusCode: 200, headers: { 'x-a': { nested: true } } },
    { statusCode: 200, cookies: 'a=1' },
  ])('rejects a structured result API Gateway would refuse (%j)', (result) => {
    // Prepare
    // (the result above)

    // Act
    const mapping = (): unknown => mapProxyResult(result);

    // Assess
    expect(mapping).toThrow(MalformedProxyResultError);
  });
});

describe('request details', () => {
  it('formats requestContext.time like API Gateway', () => {
    // Prepare
    const date = new Date('2020-03-02T09:03:08Z');

    // Act
    const time = formatRequestTime(date);

    // Assess
    expect(time).toBe('02/Mar/2020:09:03:08 +0000');
  });

  it.each([
    ['application/json; charset=utf-8', true],
    ['application/problem+json', true],
    ['text/csv', true],
    ['application/xml', true],
    ['application/x-www-form-urlencoded', true],
    ['application/octet-stream', false],
    ['image/png', false],
    [undefined, false],
  ])('treats %s as text: %s', (contentType, expected) => {
    // Prepare
    // (the content type above)

    // Act
    const text = isTextContentType(contentType);

    // Assess
    expect(text).toBe(expected);
  });
});
