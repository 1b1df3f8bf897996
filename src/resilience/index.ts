export { StreamReset, isStreamReset, afterLastReset } from './StreamReset.js';
export { RateLimiter, type RateLimiterOptions, type RateLimitPermit } from './RateLimiter.js';
export { isRetryableError } from './isRetryableError.js';
export { isStreamingUnsupportedError } from './isStreamingUnsupportedError.js';
