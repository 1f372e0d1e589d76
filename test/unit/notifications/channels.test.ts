import type { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import {
  channelFor,
  channelsFromEnvironment,
  describeAddress,
  InvalidPhoneNumberError,
  LogChannel,
  NotificationConfigError,
  type OutgoingMessage,
  SesEmailChannel,
  SnsSmsChannel,
  SnsTopicChannel,
  sesSenderFromEnvironment,
  UndeliverableError,
  UnsupportedAddressError,
} from '../../../shared/notifications/channels.ts';

/** A stand-in SDK client: records each command and answers with the given output. */
function fakeClient<Command>(output: Record<string, unknown>) {
  const commands: Command[] = [];
  return {
    commands,
    send: async (command: Command) => {
      commands.push(command);
      return { $metadata: {}, ...output };
    },
  };
}

const message = (address: OutgoingMessage['address']): OutgoingMessage => ({
  notificationId: 'N-1',
  template: 'case-approved',
  caseId: 'SC-0123456789AB',
  address,
  subject: '善育：申请已通过',
  text: '【善育】您的入托补助申请（案件 SC-0123456789AB）已审核通过。',
});

describe('SnsSmsChannel', () => {
  it.each(['13812345678', '+86 138-1234-5678', '8613812345678'])(
    'publishes a transactional SMS to +86 E.164 from %s',
    async (phone) => {
      // Prepare
      const client = fakeClient<PublishCommand>({ MessageId: 'sms-1' });
      const channel = new SnsSmsChannel(client);

      // Act
      const result = await channel.send(message({ kind: 'sms', phone }));

      // Assess
      expect(result).toEqual({ messageId: 'sms-1' });
      expect(client.commands.map((c) => c.input)).toEqual([
        {
          PhoneNumber: '+8613812345678',
          Message: '【善育】您的入托补助申请（案件 SC-0123456789AB）已审核通过。',
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          },
        },
      ]);
    },
  );

  it('refuses a number that is no mainland mobile, without calling SNS', async () => {
    // Prepare
    const client = fakeClient<PublishCommand>({ MessageId: 'x' });
    const channel = new SnsSmsChannel(client);

    // Act
    const sending = channel.send(message({ kind: 'sms', phone: '0572-1234567' }));

    // Assess
    await expect(sending).rejects.toThrow(InvalidPhoneNumberError);
    await expect(sending).rejects.toBeInstanceOf(UndeliverableError);
    expect(client.commands).toHaveLength(0);
  });

  it('refuses a topic address', async () => {
    // Prepare
    const channel = new SnsSmsChannel(fakeClient<PublishCommand>({ MessageId: 'x' }));

    // Act
    const sending = channel.send(message({ kind: 'topic', role: 'caseworker', scope: 'D:1' }));

    // Assess
    await expect(sending).rejects.toThrow(UnsupportedAddressError);
  });

  it('treats an answer without message id as a failure', async () => {
    // Prepare
    const channel = new SnsSmsChannel(fakeClient<PublishCommand>({}));

    // Act
    const sending = channel.send(message({ kind: 'sms', phone: '13812345678' }));

    // Assess
    await expect(sending).rejects.toThrow('no message id');
  });
});

describe('SnsTopicChannel', () => {
  it('publishes to the topic with the queue as filterable attributes', async () => {
    // Prepare
    const client = fakeClient<PublishCommand>({ MessageId: 'topic-1' });
    const topicArn = 'arn:aws:sns:cn-north-1:000000000000:QueueNotifications';
    const channel = new SnsTopicChannel(topicArn, client);

    // Act
    const result = await channel.send(
      message({ kind: 'topic', role: 'caseworker', scope: 'D:330502' }),
    );

    // Assess
    expect(result).toEqual({ messageId: 'topic-1' });
    expect(client.commands.map((c) => c.input)).toEqual([
      {
        TopicArn: topicArn,
        Subject: '善育：申请已通过',
        Message: '【善育】您的入托补助申请（案件 SC-0123456789AB）已审核通过。',
        MessageAttributes: {
          role: { DataType: 'String', StringValue: 'caseworker' },
          scope: { DataType: 'String', StringValue: 'D:330502' },
          template: { DataType: 'String', StringValue: 'case-approved' },
        },
      },
    ]);
  });

  it("adds the task's holder as a filterable attribute when there is one", async () => {
    // Prepare
    const client = fakeClient<PublishCommand>({ MessageId: 'topic-2' });
    const channel = new SnsTopicChannel('arn:topic', client);

    // Act
    await channel.send(
      message({ kind: 'topic', role: 'caseworker', scope: 'D:330502', holder: 'wx-cw-1' }),
    );
    await channel.send(message({ kind: 'topic', role: 'caseworker', scope: 'D:330502' }));

    // Assess
    const [withHolder, withoutHolder] = client.commands.map((c) => c.input.MessageAttributes);
    expect(withHolder).toEqual({
      role: { DataType: 'String', StringValue: 'caseworker' },
      scope: { DataType: 'String', StringValue: 'D:330502' },
      template: { DataType: 'String', StringValue: 'case-approved' },
      holder: { DataType: 'String', StringValue: 'wx-cw-1' },
    });
    expect(withoutHolder).not.toHaveProperty('holder');
  });

  it('refuses an SMS address and an empty topic', async () => {
    // Prepare
    const client = fakeClient<PublishCommand>({ MessageId: 'x' });
    const channel = new SnsTopicChannel('arn:topic', client);

    // Act
    const sending = channel.send(message({ kind: 'sms', phone: '13812345678' }));
    const construct = () => new SnsTopicChannel('', client);

    // Assess
    await expect(sending).rejects.toThrow(UnsupportedAddressError);
    expect(construct).toThrow(NotificationConfigError);
    expect(client.commands).toHaveLength(0);
  });
});

describe('SesEmailChannel', () => {
  it('sends a UTF-8 text e-mail from the configured identity', async () => {
    // Prepare
    const client = fakeClient<SendEmailCommand>({ MessageId: 'ses-1' });
    const identityArn = 'arn:aws:ses:cn-north-1:000000000000:identity/shanyu.example.cn';
    const channel = new SesEmailChannel(
      { fromAddress: 'noreply@shanyu.example.cn', identityArn },
      client,
    );

    // Act
    const result = await channel.send(message({ kind: 'email', email: 'parent@example.com' }));

    // Assess
    expect(result).toEqual({ messageId: 'ses-1' });
    expect(client.commands.map((c) => c.input)).toEqual([
      {
        FromEmailAddress: 'noreply@shanyu.example.cn',
        FromEmailAddressIdentityArn: identityArn,
        Destination: { ToAddresses: ['parent@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: '善育：申请已通过', Charset: 'UTF-8' },
            Body: {
              Text: {
                Data: '【善育】您的入托补助申请（案件 SC-0123456789AB）已审核通过。',
                Charset: 'UTF-8',
              },
            },
          },
        },
      },
    ]);
  });

  it('refuses an SMS address', async () => {
    // Prepare
    const client = fakeClient<SendEmailCommand>({ MessageId: 'x' });
    const channel = new SesEmailChannel({ fromAddress: 'a@b.cn' }, client);

    // Act
    const sending = channel.send(message({ kind: 'sms', phone: '13812345678' }));

    // Assess
    await expect(sending).rejects.toThrow(UnsupportedAddressError);
    expect(client.commands).toHaveLength(0);
  });
});

describe('LogChannel', () => {
  it('writes one line per message with the phone masked', async () => {
    // Prepare
    const lines: { message: string; extra: Record<string, unknown>[] }[] = [];
    const channel = new LogChannel({ info: (m, ...extra) => lines.push({ message: m, extra }) });

    // Act
    const result = await channel.send(message({ kind: 'sms', phone: '13812345678' }));

    // Assess
    expect(result).toEqual({ messageId: 'log-N-1' });
    expect(lines).toHaveLength(1);
    const written = JSON.stringify(lines);
    expect(written).not.toContain('13812345678');
    expect(lines[0]?.extra[0]).toMatchObject({
      notificationId: 'N-1',
      channel: 'sms',
      to: '138****5678',
      text: '【善育】您的入托补助申请（案件 SC-0123456789AB）已审核通过。',
    });
  });
});

describe('describeAddress', () => {
  it.each<[OutgoingMessage['address'], string]>([
    [{ kind: 'sms', phone: '+8613812345678' }, '138****5678'],
    [
      { kind: 'topic', role: 'provider', scope: 'P:91330500MA2B3C4D5E' },
      'provider@P:91330500MA2B3C4D5E',
    ],
    [{ kind: 'email', email: 'parent@example.com' }, 'p*****@example.com'],
  ])('masks %o', (address, expected) => {
    // Act
    const described = describeAddress(address);

    // Assess
    expect(described).toBe(expected);
  });
});

describe('channel selection', () => {
  it('logs everything when SHANYU_NOTIFICATION_CHANNEL=log, needing no topic', () => {
    // Act
    const channels = channelsFromEnvironment({ SHANYU_NOTIFICATION_CHANNEL: 'log' });

    // Assess
    expect([channels.sms.name, channels.topic.name, channels.email?.name]).toEqual([
      'log',
      'log',
      'log',
    ]);
  });

  it('fails without a topic outside log mode', () => {
    // Act
    const select = () => channelsFromEnvironment({});

    // Assess
    expect(select).toThrow(NotificationConfigError);
  });

  it('uses SNS, and SES only when a sender is configured', () => {
    // Prepare
    const base = { NOTIFICATION_TOPIC_ARN: 'arn:aws:sns:cn-north-1:0:t' };

    // Act
    const withoutSes = channelsFromEnvironment(base);
    const withSes = channelsFromEnvironment({
      ...base,
      SES_IDENTITY_ARN: 'arn:aws:ses:cn-north-1:0:identity/shanyu.example.cn',
    });

    // Assess
    expect([withoutSes.sms.name, withoutSes.topic.name, withoutSes.email]).toEqual([
      'sns-sms',
      'sns-topic',
      undefined,
    ]);
    expect(withSes.email?.name).toBe('ses-email');
  });

  it.each([
    [{ NOTIFICATION_EMAIL_FROM: 'x@y.cn' }, { fromAddress: 'x@y.cn' }],
    [
      { SES_IDENTITY_ARN: 'arn:aws:ses:r:0:identity/shanyu.example.cn' },
      {
        fromAddress: 'noreply@shanyu.example.cn',
        identityArn: 'arn:aws:ses:r:0:identity/shanyu.example.cn',
      },
    ],
    [
      { SES_IDENTITY_ARN: 'arn:aws:ses:r:0:identity/office@shanyu.example.cn' },
      {
        fromAddress: 'office@shanyu.example.cn',
        identityArn: 'arn:aws:ses:r:0:identity/office@shanyu.example.cn',
      },
    ],
    [{}, undefined],
  ])('derives the e-mail sender from %o', (env, expected) => {
    // Act
    const sender = sesSenderFromEnvironment(env);

    // Assess
    expect(sender).toEqual(expected);
  });

  it('routes each address kind to its channel and refuses one with none', () => {
    // Prepare
    const sms = new LogChannel({ info: () => {} });
    const topic = new LogChannel({ info: () => {} });

    // Act
    const chosen = [
      channelFor({ kind: 'sms', phone: '13812345678' }, { sms, topic }),
      channelFor({ kind: 'topic', role: 'caseworker', scope: 'D:1' }, { sms, topic }),
    ];
    const email = () => channelFor({ kind: 'email', email: 'a@b.cn' }, { sms, topic });

    // Assess
    expect(chosen[0]).toBe(sms);
    expect(chosen[1]).toBe(topic);
    expect(email).toThrow(UnsupportedAddressError);
  });
});
