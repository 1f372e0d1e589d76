/**
 * Error names a waiting step is failed with (SendTaskFailure), shared by the functions that send
 * them and the state machines that catch them.
 */

/**
 * The applicant let a task's due time pass: the deadline sweeper fails the step with it, and the
 * step ends the case as its own timeout would.
 */
export const deadlinePassedError = 'DeadlinePassed';
