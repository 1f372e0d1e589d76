import { z } from 'zod';
import { roleSchema } from '../auth/roles.ts';
import { caseTypeSchema } from '../cases/case-record.ts';

export const taskStatusSchema = z.enum(['open', 'claimed', 'done', 'expired', 'cancelled']);

/** What a workflow's human step sends to create-task (the Task state's Payload). */
export const createTaskInputSchema = z.object({
  taskToken: z.string().min(1),
  caseId: z.string().min(1),
  taskType: z.string().min(1).max(64),
  role: roleSchema,
  dueInWorkingDays: z.number().int().min(0).max(60),
});
export type CreateTaskInput = z.infer<typeof createTaskInputSchema>;

export const taskRecordSchema = z.object({
  taskId: z.string(),
  caseId: z.string(),
  caseType: caseTypeSchema,
  taskType: z.string(),
  role: roleSchema,
  district: z.string().optional(),
  providerId: z.string().optional(),
  applicantSub: z.string().optional(),
  status: taskStatusSchema,
  createdAt: z.string(),
  dueAt: z.string(),
  followUpAt: z.string(),
});
export type TaskRecord = z.infer<typeof taskRecordSchema>;
