/**
 * Split a consumed chunk into at most `count` lanes by contact. Only a contact's own events must
 * stay in order (a breach resolves that contact's warning, a reply resolves its breach), so the
 * lanes can be applied side by side while each keeps the order it was given.
 */
export function contactLanes<E extends { contactId: string }>(
  events: readonly E[],
  count: number,
): E[][] {
  const lanes: E[][] = Array.from({ length: count }, () => []);
  for (const event of events) lanes[laneOf(event.contactId, count)].push(event);
  return lanes.filter((lane) => lane.length > 0);
}

function laneOf(contactId: string, count: number): number {
  let hash = 0;
  for (let i = 0; i < contactId.length; i += 1) {
    hash = (Math.imul(hash, 31) + contactId.charCodeAt(i)) | 0;
  }
  return Math.abs(hash % count);
}
