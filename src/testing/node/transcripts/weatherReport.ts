import { textAnswer, type Transcript } from './Transcript.js';

/** The answer once `get_weather` has replied: it quotes the tool's result. */
export const weatherReport: Transcript = {
  name: 'weather-report',
  keywords: [],
  afterTool: 'get_weather',
  chunks: textAnswer([
    'Here', ' is', ' the', ' weather', ' you', ' asked', ' for', ':', ' {{tool_result}}', '.', ' If', ' you', ' are',
    ' heading', ' out', ',', ' check', ' again', ' closer', ' to', ' the', ' time', ' —', ' forecasts', ' move', '.',
  ]),
};
