import 'reflect-metadata';
import { runService } from '@replywatch/platform';
import { loadIngestConfig } from './ingest.config';
import { startIngestApp } from './ingest.app';

void runService('ingest', async () => {
  const { url } = await startIngestApp(loadIngestConfig());
  return url;
});
