/**
 * 托育机构登记和备案办法: a filing that falls short is answered with every reason at once and the
 * provider has 15 working days to put it right. Shared by the state machine (the task's due date)
 * and the standards check (the step's timeout), which must agree.
 */
export const amendDueInWorkingDays = 15;
