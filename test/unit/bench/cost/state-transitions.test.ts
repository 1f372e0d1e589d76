import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { transitionsByStateType } from '../../../../bench/cost/state-transitions.ts';

describe('transitionsByStateType', () => {
  it('counts every state entered, by type, and nothing else', () => {
    // Prepare
    const events = [
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'TaskStateEntered',
      'PassStateEntered',
      'SucceedStateEntered',
      'ExecutionSucceeded',
    ].map(
      (type): HistoryEvent => ({ type: type as HistoryEventType, id: 1, timestamp: new Date() }),
    );

    // Act
    const byType = transitionsByStateType(events);

    // Assess
    expect(byType).toEqual({ Task: 2, Choice: 1, Parallel: 1, Pass: 1, Succeed: 1 });
  });
});
