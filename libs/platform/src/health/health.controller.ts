import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HEALTH_INDICATORS, SERVICE_NAME, healthReport } from './health';
import type { HealthIndicator, HealthReport } from './health';

const STARTED_AT = Date.now();

/** `GET /health`: 200 when every dependency answers, 503 (with which one is down) otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[],
  ) {}

  @Get()
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await healthReport(this.service, this.indicators, STARTED_AT, Date.now());
    response.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
