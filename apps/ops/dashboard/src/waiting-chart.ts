/** A number of waiting contacts at an instant (epoch milliseconds). */
export interface WaitingPoint {
  at: number;
  waiting: number;
}

export const CHART_SPAN_MS = 60 * 60 * 1000;

/**
 * The history from GET /v1/stats (one sample per 30 s) followed by the live counts the stream
 * reported since its last sample, within the hour before `now`, oldest first.
 */
export function mergeWaiting(
  history: readonly WaitingPoint[],
  live: readonly WaitingPoint[],
  now: number,
  spanMs = CHART_SPAN_MS,
): WaitingPoint[] {
  const lastSample = history.length > 0 ? history[history.length - 1].at : -Infinity;
  return [...history, ...live.filter((point) => point.at > lastSample)]
    .filter((point) => point.at >= now - spanMs && point.at <= now)
    .sort((a, b) => a.at - b.at);
}

export interface ChartGeometry {
  /** The step line through the points, continued to `now`; empty without points. */
  line: string;
  /** The same outline closed along the bottom, for the filled area. */
  area: string;
  /** The value at the top of the y axis: the peak rounded up to a readable number. */
  top: number;
  peak: number;
  latest: number | null;
}

/**
 * The top of a count axis: 4, or the first of 1, 2, 4, 6, 8, 10 × 10ⁿ at or above the peak (so
 * the middle gridline is a whole number too).
 */
export function axisTop(peak: number): number {
  if (peak <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(peak));
  const step = [1, 2, 4, 6, 8, 10].find((factor) => factor * magnitude >= peak) ?? 10;
  return step * magnitude;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** SVG path data for the waiting counts of the last hour in a `width` × `height` box. */
export function waitingChart(
  points: readonly WaitingPoint[],
  now: number,
  width: number,
  height: number,
  spanMs = CHART_SPAN_MS,
): ChartGeometry {
  const inWindow = points.filter((point) => point.at >= now - spanMs && point.at <= now);
  const peak = inWindow.reduce((max, point) => Math.max(max, point.waiting), 0);
  const top = axisTop(peak);
  if (inWindow.length === 0) return { line: '', area: '', top, peak, latest: null };
  const x = (at: number) => round(((at - (now - spanMs)) / spanMs) * width);
  const y = (waiting: number) => round(height - (waiting / top) * height);
  const [first, ...others] = inWindow;
  let line = `M${x(first.at)} ${y(first.waiting)}`;
  for (const point of others) line += ` H${x(point.at)} V${y(point.waiting)}`;
  line += ` H${width}`;
  const area = `${line} V${height} H${x(first.at)} Z`;
  return { line, area, top, peak, latest: inWindow[inWindow.length - 1].waiting };
}
