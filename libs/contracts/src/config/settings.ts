import { z } from 'zod';
import { command, query } from '../define';
import type { ApplyOutcome } from './base-configs';

/** The settings the document lists, with their defaults; POSTs must send every key back. */
export const DEFAULT_SETTINGS: Readonly<Record<string, string>> = {
  isAIHubEnvironment: 'false',
  isDocsEnabled: 'false',
  isDocsFromWordpress: 'true',
  isDogfoodEnvironment: 'false',
  isProdEnvironment: 'false',
  isSaasEnvironment: 'false',
  isUATEnvironment: 'false',
  obsAlertEmailAppPassword: '',
  obsAlertReceiverEmail: '',
  obsAlertSenderEmail: '',
  obsAlertSlackChannel: '',
  obsAlertSlackUrl: '',
  obsAlertSmtpServer: '',
};

const settingsMap = z.record(
  z.string().min(1).max(200).regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'setting names are letters, digits and "_"'),
  z.string().max(10_000),
);
const updateSettings = z.object({ settings: settingsMap }).strict();
export const UpdateSettings = command<typeof updateSettings, ApplyOutcome>('cmd.config.update-settings.v1', updateSettings);

const none = z.object({}).strict();
export const GetSettings = query<typeof none, Record<string, string>>('qry.config.get-settings.v1', none);
