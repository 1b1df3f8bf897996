/** How a body is cut into writes: whole, a fixed number of bytes per write, or explicit byte offsets. */
export type SseChunking = 'whole' | number | readonly number[];
