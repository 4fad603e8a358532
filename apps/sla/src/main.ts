import 'reflect-metadata';
import { runService } from '@replywatch/platform';
import { loadSlaConfig } from './sla.config';
import { startSlaApp } from './sla.app';

void runService('sla', async () => {
  const { url } = await startSlaApp(loadSlaConfig());
  return url;
});
