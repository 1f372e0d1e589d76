import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../../infra/local/stepfunctions/execution-document.ts';
import {
  createHistoryEvent,
  detailsKeyOf,
  ExecutionHistoryRecorder,
  executionStartedDraft,
  HistoryLog,
} from '../../../../infra/local/stepfunctions/history.ts';

function persisted(types: string[]): HistoryEvent[] {
  return types.map((type, index) => createHistoryEvent(index + 1, 1000 + index, [type]));
}

describe('detailsKeyOf', () => {
  it.each([
    ['TaskStateEntered', 'stateEnteredEventDetails'],
    ['ChoiceStateExited', 'stateExitedEventDetails'],
    ['TaskScheduled', 'taskScheduledEventDetails'],
    ['ExecutionTimedOut', 'executionTimedOutEventDetails'],
  ])('puts the details of %s under %s', (type, key) => {
    // Prepare
    // Act
    const detailsKey = detailsKeyOf(type);

    // Assess
    expect(detailsKey).toBe(key);
  });
});

describe('HistoryLog', () => {
  it('skips the events a replay regenerates, keeping their timestamps, and appends new ones', () => {
    // Prepare
    const events = persisted(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled']);
    let saves = 0;
    const log = new HistoryLog(
      events,
      () => 9999,
      () => {
        saves += 1;
      },
    );

    // Act
    log.append(['TaskStateEntered']);
    log.append(['TaskScheduled']);
    log.append(['TaskSucceeded']);

    // Assess
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskSucceeded',
    ]);
    expect(events.map((event) => event.timestamp)).toEqual([1000, 1001, 1002, 9999]);
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
    ]);
    expect(saves).toBe(1);
  });

  it('replaces the persisted tail from the first event a replay does not regenerate', () => {
    // Prepare
    const events = persisted([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
    ]);
    const log = new HistoryLog(
      events,
      () => 9999,
      () => {},
    );

    // Act
    log.append(['PassStateEntered']);

    // Assess
    expect(events.map((event) => event.type)).toEqual(['ExecutionStarted', 'PassStateEntered']);
  });

  it('writes the final event after everything persisted, then nothing more', () => {
    // Prepare
    const events = persisted(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled']);
    const log = new HistoryLog(
      events,
      () => 9999,
      () => {},
    );

    // Act
    log.appendFinal(['ExecutionAborted', { cause: 'stopped' }]);
    log.append(['TaskStateEntered']);

    // Assess
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'ExecutionAborted',
    ]);
    expect(events.at(-1)?.executionAbortedEventDetails).toEqual({ cause: 'stopped' });
  });
});

describe('ExecutionHistoryRecorder', () => {
  it('writes a task attempt after the state it belongs to was entered, in order', () => {
    // Prepare
    const events = [createHistoryEvent(1, 0, executionStartedDraft('{}', 'role'))];
    const recorder = new ExecutionHistoryRecorder(
      new HistoryLog(
        events,
        () => 5,
        () => {},
      ),
      new Map([['Ask', 'Task']]),
    );
    // The task handler runs before the library's StateEntered reaches the recorder.
    const attempt = recorder.beginTaskAttempt('Ask');
    attempt.add(['TaskScheduled', { resource: 'invoke' }]);
    attempt.add(['TaskStarted']);

    // Act
    recorder.onLibraryEvent({
      type: 'StateEntered',
      state: { name: 'Ask', type: 'Task', input: { a: 1 } },
    });
    attempt.add(['TaskSucceeded']);
    recorder.onLibraryEvent({
      type: 'StateExited',
      state: { name: 'Ask', type: 'Task', output: { b: 2 } },
    });

    // Assess
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    expect(events[1]?.stateEnteredEventDetails).toEqual({
      name: 'Ask',
      input: '{"a":1}',
      inputDetails: { truncated: false },
    });
    expect(events[5]?.stateExitedEventDetails).toMatchObject({ name: 'Ask', output: '{"b":2}' });
  });

  it('names events by the declared type of a state the library runs as another type', () => {
    // Prepare
    const events: HistoryEvent[] = [];
    const recorder = new ExecutionHistoryRecorder(
      new HistoryLog(
        events,
        () => 5,
        () => {},
      ),
      new Map([['Pause', 'Wait']]),
    );

    // Act
    recorder.onLibraryEvent({
      type: 'StateEntered',
      state: { name: 'Pause', type: 'Task', input: {} },
    });
    recorder.onLibraryEvent({
      type: 'StateExited',
      state: { name: 'Pause', type: 'Task', output: {} },
    });

    // Assess
    expect(events.map((event) => event.type)).toEqual(['WaitStateEntered', 'WaitStateExited']);
  });
});
