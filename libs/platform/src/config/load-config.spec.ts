import { z } from 'zod';
import { databaseEnvShape, envPort, kafkaEnvShape, redisEnvShape } from './env.schema';
import { ConfigError, loadConfig } from './load-config';

const schema = z.object({
  ...kafkaEnvShape,
  ...redisEnvShape,
  ...databaseEnvShape,
  PORT: envPort(3000),
});

describe('configuration', () => {
  it('runs locally with no variables set', () => {
    expect(loadConfig(schema, {})).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'rw',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      DATABASE_SCHEMA: 'replywatch',
      PORT: 3000,
    });
  });

  it('lists every invalid variable at once', () => {
    const env = {
      REDIS_URL: 'http://x',
      PORT: '70000',
      DATABASE_SCHEMA: 'Drop Table',
      KAFKA_BROKERS: ' , ',
    };
    expect(() => loadConfig(schema, env)).toThrow(ConfigError);
    try {
      loadConfig(schema, env);
    } catch (error) {
      const names = (error as ConfigError).problems.map((problem) => problem.split(':')[0]).sort();
      expect(names).toEqual(['DATABASE_SCHEMA', 'KAFKA_BROKERS', 'PORT', 'REDIS_URL']);
    }
  });
});
