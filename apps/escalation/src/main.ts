import 'reflect-metadata';
import { runService } from '@replywatch/platform';
import { loadEscalationConfig } from './escalation.config';
import { startEscalationApp } from './escalation.app';

void runService('escalation', async () => {
  const { url } = await startEscalationApp(loadEscalationConfig());
  return url;
});
