import 'reflect-metadata';
import { runService } from '@replywatch/platform';
import { loadOpsConfig } from './ops.config';
import { startOpsApp } from './ops.app';

void runService('ops', async () => {
  const { url } = await startOpsApp(loadOpsConfig());
  return url;
});
