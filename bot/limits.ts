// The per-user abuse limits from configuration, in the shape services take (services/limits).
import { DAY_MS, HOUR_MS, type AbuseLimits } from '../services/limits/rateLimit';
import type { Config } from './config';

export function abuseLimitsOf(config: Config): AbuseLimits {
  return {
    associationRequests: { max: config.ASSOCIATION_REQUESTS_PER_DAY, windowMs: DAY_MS },
    invitationBatches: { max: config.INVITATION_BATCHES_PER_HOUR, windowMs: HOUR_MS },
    codeSends: { max: config.CODE_SENDS_PER_HOUR, windowMs: HOUR_MS },
  };
}
