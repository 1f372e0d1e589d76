import { ConflictError, NotFoundError } from '../errors/http-errors.ts';

export const taskNotFound = (taskId: string) =>
  new NotFoundError({ 'zh-CN': `任务 ${taskId} 不存在`, en: `Task ${taskId} does not exist` });

export const taskAlreadyClaimed = () =>
  new ConflictError('TASK_ALREADY_CLAIMED', {
    'zh-CN': '该任务已由他人认领',
    en: 'Someone else has claimed this task',
  });

export const taskAlreadyDecided = () =>
  new ConflictError('TASK_ALREADY_DECIDED', {
    'zh-CN': '该任务已经办结',
    en: 'This task has already been decided',
  });

export const taskClosed = (status: string) =>
  new ConflictError('TASK_CLOSED', {
    'zh-CN': status === 'expired' ? '该任务已过期' : '该任务已取消',
    en: status === 'expired' ? 'This task has expired' : 'This task was cancelled',
  });

export const taskNotClaimedByYou = () =>
  new ConflictError('TASK_NOT_CLAIMED_BY_YOU', {
    'zh-CN': '该任务不在您名下',
    en: 'You do not hold this task',
  });

export const caseAlreadyDecided = () =>
  new ConflictError('CASE_ALREADY_DECIDED', {
    'zh-CN': '案件已办结，无法撤回',
    en: 'The case has been decided and can no longer be withdrawn',
  });
