import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '../../shared/clock/index.ts';
import { keys } from '../../shared/db/keys.ts';
import type { Language } from '../../shared/errors/localized.ts';
import {
  type NotificationRecord,
  notificationRecordSchema,
} from '../../shared/notifications/notification.ts';
import { dynamoOutboxStore } from '../../shared/notifications/outbox-store.ts';
import { renderNotification } from '../../shared/notifications/templates.ts';
import { maskMobile } from '../../shared/validation/phone.ts';
import type { LocalRouteHandler } from './gateway/types.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A day's outbox locally is a few dozen items; the cap only guards against a runaway test. */
const MAX_ITEMS = 2_000;

function isCalendarDate(value: string): boolean {
  return DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

function render(record: NotificationRecord, language: Language) {
  try {
    return renderNotification(record, language);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * 'GET /dev/outbox?date=YYYY-MM-DD' (default: today, UTC, on the local clock): the day's
 * notifications in the order they were filed, each with its zh-CN and English text and its status,
 * an applicant's phone masked. What a developer checks instead of a phone.
 */
export function devOutboxRoute(
  documents: DynamoDBDocumentClient,
  tableName: string,
): LocalRouteHandler {
  const store = dynamoOutboxStore(documents, tableName);
  return async (request) => {
    const date = request.query.get('date') ?? now().toISOString().slice(0, 10);
    if (!isCalendarDate(date)) {
      return { statusCode: 400, body: { message: 'date must be a calendar date YYYY-MM-DD' } };
    }

    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :day',
          ExpressionAttributeValues: { ':day': keys.notificationDayPartition(date) },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && items.length < MAX_ITEMS);

    const phones = new Map<string, Promise<string | null>>();
    const maskedPhone = (caseId: string) => {
      let phone = phones.get(caseId);
      if (phone === undefined) {
        phone = store
          .guardianContact(caseId)
          .then((contact) => (contact?.phone === undefined ? null : maskMobile(contact.phone)));
        phones.set(caseId, phone);
      }
      return phone;
    };

    const notifications = await Promise.all(
      items.slice(0, MAX_ITEMS).map(async (item) => {
        const parsed = notificationRecordSchema.safeParse(item);
        if (!parsed.success) {
          return { sk: item.sk, error: 'unreadable item', issues: parsed.error.issues.length };
        }
        const { gsi4sk: _index, claimToken: _token, ...record } = parsed.data;
        const recipient =
          record.recipient.kind === 'applicant'
            ? { ...record.recipient, phone: await maskedPhone(record.caseId) }
            : record.recipient;
        return {
          ...record,
          recipient,
          rendered: { 'zh-CN': render(record, 'zh-CN'), en: render(record, 'en') },
        };
      }),
    );
    return { statusCode: 200, body: { date, notifications } };
  };
}
