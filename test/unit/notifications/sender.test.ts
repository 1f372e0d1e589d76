import { describe, expect, it } from 'vitest';
import type {
  ChannelSet,
  NotificationChannel,
  OutgoingMessage,
} from '../../../shared/notifications/channels.ts';
import { type NotificationInput, outboxPut } from '../../../shared/notifications/outbox.ts';
import {
  defaultClaimMs,
  maxAttempts,
  retryDelayMs,
  sendPending,
} from '../../../shared/notifications/sender.ts';
import { MemoryOutboxStore } from './memory-outbox-store.ts';

const t0 = new Date('2026-03-01T02:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

const toQueue: NotificationInput = {
  template: 'task-assigned',
  recipient: { kind: 'queue', role: 'caseworker', scope: 'D:330502' },
  caseId: 'SC-QUEUE000001',
  taskId: 'T-1',
  params: { taskType: 'confirm-enrollment', dueAt: '2026-03-05T09:00:00.000Z' },
};
const toFamily: NotificationInput = {
  template: 'case-approved',
  recipient: { kind: 'applicant', sub: 'family-1' },
  caseId: 'SC-FAMILY00001',
  params: { caseType: 'subsidy-claim' },
};

/** A channel that records what it sent and fails while `failures` lasts. */
class FakeChannel implements NotificationChannel {
  readonly sent: OutgoingMessage[] = [];
  failures: Error[] = [];
  /** Resolves sends only when released, to hold a run mid-send. */
  gate: Promise<void> = Promise.resolve();

  constructor(readonly name: string) {}

  async send(message: OutgoingMessage) {
    await this.gate;
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(message);
    return { messageId: `${this.name}-${this.sent.length}` };
  }
}

function setUp(...inputs: [NotificationInput, Date][]) {
  const store = new MemoryOutboxStore();
  store.cases.set('SC-FAMILY00001', { applicantSub: 'family-1', phone: '13812345678' });
  const sms = new FakeChannel('sms');
  const topic = new FakeChannel('topic');
  const channels: ChannelSet = { sms, topic };
  const ids = inputs.map(([input, createdAt]) => {
    const { Item } = outboxPut(input, createdAt, 'table').Put;
    store.put(Item);
    return Item.notificationId;
  });
  const run = (now: Date, limit?: number) =>
    sendPending({ now, store, channels, logger: quiet, ...(limit ? { limit } : {}) });
  return { store, sms, topic, ids, run };
}

describe('sendPending', () => {
  it('publishes a queue notification to the topic and records it as sent', async () => {
    // Prepare
    const { store, topic, ids, run } = setUp([toQueue, t0]);

    // Act
    const result = await run(at(1));

    // Assess
    expect(result).toEqual({ sent: 1, failed: 0, givenUp: 0 });
    expect(topic.sent).toEqual([
      expect.objectContaining({
        notificationId: ids[0],
        address: { kind: 'topic', role: 'caseworker', scope: 'D:330502' },
        text: '【善育】您的待办队列有新任务：确认入托（案件 SC-QUEUE000001），请于 2026年3月5日 17:00 前处理。',
      }),
    ]);
    const item = store.byId(String(ids[0]));
    expect(item).toMatchObject({
      status: 'sent',
      sentAt: at(1).toISOString(),
      channel: 'topic',
      messageId: 'topic-1',
      sentTo: 'caseworker@D:330502',
    });
    expect(item).not.toHaveProperty('gsi4pk');
    expect(item).not.toHaveProperty('gsi4sk');
    expect(item).not.toHaveProperty('claimToken');
  });

  it("publishes a notification for a task's holder to the topic, naming the holder", async () => {
    // Prepare
    const toHolder: NotificationInput = {
      ...toQueue,
      recipient: { kind: 'queue', role: 'caseworker', scope: 'D:330502', holder: 'wx-cw-1' },
    };
    const { topic, sms, run } = setUp([toHolder, t0]);

    // Act
    const result = await run(at(1));

    // Assess
    expect(result).toEqual({ sent: 1, failed: 0, givenUp: 0 });
    expect(topic.sent.map((m) => m.address)).toEqual([
      { kind: 'topic', role: 'caseworker', scope: 'D:330502', holder: 'wx-cw-1' },
    ]);
    expect(sms.sent).toHaveLength(0);
  });

  it("texts an applicant at the guardian's phone from the case, recording it masked", async () => {
    // Prepare
    const { store, sms, ids, run } = setUp([toFamily, t0]);

    // Act
    const result = await run(at(1));

    // Assess
    expect(result).toEqual({ sent: 1, failed: 0, givenUp: 0 });
    expect(sms.sent.map((m) => m.address)).toEqual([{ kind: 'sms', phone: '13812345678' }]);
    expect(store.byId(String(ids[0]))).toMatchObject({ status: 'sent', sentTo: '138****5678' });
  });

  it('texts the applicant for their own queue (scope A:<sub>), not the staff topic', async () => {
    // Prepare
    const ownQueue: NotificationInput = {
      template: 'info-requested',
      recipient: { kind: 'queue', role: 'citizen', scope: 'A:family-1' },
      caseId: 'SC-FAMILY00001',
      taskId: 'T-9',
      params: { caseType: 'subsidy-claim', dueAt: '2026-03-05T09:00:00.000Z' },
    };
    const { sms, topic, run } = setUp([ownQueue, t0]);

    // Act
    const result = await run(at(1));

    // Assess
    expect(result.sent).toBe(1);
    expect(sms.sent.map((m) => m.address)).toEqual([{ kind: 'sms', phone: '13812345678' }]);
    expect(topic.sent).toHaveLength(0);
  });

  it('needs no channels when nothing is due', async () => {
    // Prepare: no injected channels and no NOTIFICATION_TOPIC_ARN would fail if they were built
    const store = new MemoryOutboxStore();

    // Act
    const result = await sendPending({ now: t0, store, logger: quiet });

    // Assess
    expect(result).toEqual({ sent: 0, failed: 0, givenUp: 0 });
  });

  it('sends the oldest first, at most `limit` per run, and nothing twice', async () => {
    // Prepare
    const { topic, ids, run } = setUp(
      [{ ...toQueue, taskId: 'T-3' }, at(3)],
      [{ ...toQueue, taskId: 'T-1' }, at(1)],
      [{ ...toQueue, taskId: 'T-2' }, at(2)],
    );

    // Act
    const first = await run(at(5), 2);
    const second = await run(at(6), 2);
    const third = await run(at(7), 2);

    // Assess
    expect([first.sent, second.sent, third.sent]).toEqual([2, 1, 0]);
    expect(topic.sent.map((m) => m.notificationId)).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('leaves notifications filed after `now` for a later run', async () => {
    // Prepare
    const { topic, run } = setUp([toQueue, at(10)]);

    // Act
    const early = await run(at(9));
    const onTime = await run(at(10));

    // Assess
    expect(early.sent).toBe(0);
    expect(onTime.sent).toBe(1);
    expect(topic.sent).toHaveLength(1);
  });

  it('never sends twice when two runs overlap', async () => {
    // Prepare: three items, a channel held mid-send
    const { topic, run } = setUp(
      [{ ...toQueue, taskId: 'T-1' }, t0],
      [{ ...toQueue, taskId: 'T-2' }, t0],
      [{ ...toQueue, taskId: 'T-3' }, t0],
    );
    let release = () => {};
    topic.gate = new Promise((resolve) => {
      release = resolve;
    });

    // Act
    const runs = [run(at(1)), run(at(1))];
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    const results = await Promise.all(runs);

    // Assess
    expect(topic.sent).toHaveLength(3);
    expect(new Set(topic.sent.map((m) => m.notificationId)).size).toBe(3);
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(3);
  });

  it('does not take over an item another run claimed moments ago', async () => {
    // Prepare: another run claims the item between our query and our claim
    const { store, topic, run } = setUp([toQueue, t0]);
    store.beforeClaim = async (key) => {
      store.beforeClaim = async () => {};
      const [due] = await store.due(at(1), 1);
      if (due?.seen)
        await store.claim(key, due.seen, { token: 'other', until: at(6).toISOString() });
    };

    // Act
    const result = await run(at(1));

    // Assess
    expect(result).toEqual({ sent: 0, failed: 0, givenUp: 0 });
    expect(topic.sent).toHaveLength(0);
  });

  it('retries a failed send after a back-off, then sends it', async () => {
    // Prepare
    const { store, topic, ids, run } = setUp([toQueue, t0]);
    topic.failures = [new Error('Throttling: rate exceeded')];

    // Act
    const failed = await run(at(1));
    const pendingItem = { ...store.byId(String(ids[0])) };
    const tooSoon = await run(at(1.5));
    const retried = await run(at(2));

    // Assess
    expect(failed).toEqual({ sent: 0, failed: 1, givenUp: 0 });
    expect(pendingItem).toMatchObject({
      status: 'pending',
      attempts: 1,
      notBefore: at(2).toISOString(),
      gsi4pk: 'OUTBOX#PENDING',
      gsi4sk: `${at(2).toISOString()}#${ids[0]}`,
      lastError: 'Error: Throttling: rate exceeded',
    });
    expect(tooSoon).toEqual({ sent: 0, failed: 0, givenUp: 0 });
    expect(retried).toEqual({ sent: 1, failed: 0, givenUp: 0 });
    expect(topic.sent).toHaveLength(1);
  });

  it(`gives up after ${maxAttempts} failed attempts`, async () => {
    // Prepare
    const { store, topic, ids, run } = setUp([toQueue, t0]);
    topic.failures = Array.from({ length: 10 }, () => new Error('SNS is down'));

    // Act: run every hour, well past each back-off
    const results = [];
    for (let hour = 1; hour <= maxAttempts + 1; hour++) results.push(await run(at(hour * 60)));

    // Assess
    expect(results.map((r) => [r.failed, r.givenUp])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    const item = store.byId(String(ids[0]));
    expect(item).toMatchObject({ status: 'failed', attempts: maxAttempts });
    expect(item).not.toHaveProperty('gsi4pk');
    expect(topic.sent).toHaveLength(0);
  });

  it.each([
    ['the case does not exist', undefined],
    ['the case has no guardian phone', { applicantSub: 'family-1', phone: undefined }],
    ['the recipient is not the applicant', { applicantSub: 'someone-else', phone: '13912345678' }],
  ])('gives up at once when %s', async (_case, contact) => {
    // Prepare
    const { store, sms, ids, run } = setUp([toFamily, t0]);
    if (contact) store.cases.set('SC-FAMILY00001', contact);
    else store.cases.delete('SC-FAMILY00001');

    // Act
    const result = await run(at(1));

    // Assess
    expect(result).toEqual({ sent: 0, failed: 0, givenUp: 1 });
    expect(store.byId(String(ids[0]))).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringMatching(/^UnreachableRecipientError: /),
    });
    expect(sms.sent).toHaveLength(0);
  });

  it('keeps phone numbers out of the recorded error', async () => {
    // Prepare
    const { store, sms, ids, run } = setUp([toFamily, t0]);
    sms.failures = [new Error('Invalid parameter: PhoneNumber +8613812345678')];

    // Act
    await run(at(1));

    // Assess
    const { lastError } = store.byId(String(ids[0]));
    expect(lastError).toContain('138****5678');
    expect(lastError).not.toContain('13812345678');
  });

  it('retries an item whose claim lapsed (its run died mid-send), counting the attempt', async () => {
    // Prepare: a run claimed the item, then vanished
    const { store, topic, ids, run } = setUp([toQueue, t0]);
    const [due] = await store.due(at(1), 1);
    if (!due?.seen) throw new Error('nothing due');
    await store.claim(due.key, due.seen, {
      token: 'dead-run',
      until: new Date(at(1).getTime() + defaultClaimMs).toISOString(),
    });

    // Act
    const whileClaimed = await run(at(2));
    const afterLapse = await run(new Date(at(1).getTime() + defaultClaimMs));

    // Assess
    expect(whileClaimed).toEqual({ sent: 0, failed: 0, givenUp: 0 });
    expect(afterLapse).toEqual({ sent: 1, failed: 0, givenUp: 0 });
    expect(topic.sent).toHaveLength(1);
    expect(store.byId(String(ids[0]))).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('gives up without sending when claims keep lapsing', async () => {
    // Prepare: the item already failed four times and its last claim lapsed
    const { store, topic, ids, run } = setUp([toQueue, t0]);
    const item = store.byId(String(ids[0]));
    Object.assign(item, {
      status: 'sending',
      attempts: maxAttempts - 1,
      claimToken: 'dead-run',
      claimedUntil: at(5).toISOString(),
      gsi4sk: `${at(5).toISOString()}#${ids[0]}`,
    });

    // Act
    const result = await run(at(6));

    // Assess
    expect(result).toEqual({ sent: 0, failed: 0, givenUp: 1 });
    expect(topic.sent).toHaveLength(0);
    expect(store.byId(String(ids[0]))).toMatchObject({ status: 'failed', attempts: maxAttempts });
  });

  it('takes an unreadable item out of the pending index', async () => {
    // Prepare
    const { store, run } = setUp();
    store.put({
      pk: 'OUTBOX#2026-03-01',
      sk: 'junk',
      gsi4pk: 'OUTBOX#PENDING',
      gsi4sk: `${t0.toISOString()}#junk`,
    });

    // Act
    const result = await run(at(1));

    // Assess
    expect(result).toEqual({ sent: 0, failed: 0, givenUp: 1 });
    expect(store.get({ pk: 'OUTBOX#2026-03-01', sk: 'junk' })).toMatchObject({ status: 'failed' });
    expect(store.get({ pk: 'OUTBOX#2026-03-01', sk: 'junk' })).not.toHaveProperty('gsi4pk');
  });
});

describe('retryDelayMs', () => {
  it('doubles from a minute and stops at an hour', () => {
    // Act
    const delays = [1, 2, 3, 4, 8, 20].map(retryDelayMs);

    // Assess
    expect(delays).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000]);
  });
});
