import { z } from 'zod';
import { agent, tool } from '../../src/index.js';
import type { ChatOpenAI } from '../../src/openai/index.js';

/**
 * The demo's agent: `get_weather` (demo data) and `book_table`, which waits for the user's
 * approval before it runs (`needsApproval`), so the page shows an Approve / Deny prompt.
 */
export function demoAgent(model: ChatOpenAI) {
  const weather = tool(async ({ city }) => ({ city, temperature: 18, unit: 'celsius', sky: 'light rain' }), {
    name: 'get_weather',
    description: 'Current weather for a city (demo data)',
    schema: z.object({ city: z.string() }),
  });
  // Declared apart so the approval option type-checks whether or not this build's tool options name it.
  const bookingOptions = {
    name: 'book_table',
    description: 'Books a table at a restaurant (demo: nothing is booked)',
    schema: z.object({ restaurant: z.string(), guests: z.number(), time: z.string() }),
    needsApproval: () => true,
  };
  const booking = tool(async ({ restaurant, guests, time }) => `Table for ${guests} at ${restaurant}, ${time}: confirmed.`, bookingOptions);
  return agent({ model, tools: [weather, booking], maxSteps: 4 });
}
