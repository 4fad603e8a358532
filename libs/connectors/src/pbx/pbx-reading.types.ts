/** The contact events a PBX event can mean. */
export type PbxEventType = 'call.missed' | 'call.abandoned' | 'voicemail.left' | 'agent.replied';

/** One caller's call as a PBX event describes it, in the PBX's terms, before ids and contract. */
export interface PbxCall {
  type: PbxEventType;
  /**
   * The PBX's own id of the caller's call: AMI `Linkedid` (else `Uniqueid`), queue_log `callid`,
   * FreeSWITCH `CC-Member-Session-UUID` or `VM-UUID`. Event ids are built from it.
   */
  callId: string;
  /** From the event's own clock; left out when it carries none (ingest's receipt time is used). */
  occurredAt?: string;
  /** The caller id number as the PBX gave it: E.164, national, an extension, `anonymous`… */
  callerId?: string;
  /** The number or extension the caller dialled, or the mailbox that took the voicemail. */
  dialled?: string;
  queue?: string;
  /** Seconds the caller waited in the queue, or the length of the voicemail. */
  durationSeconds?: number;
  /** The queue member or agent who answered (agent.replied only). */
  agentId?: string;
}

/** What one PBX event means for the contact. */
export type PbxReading =
  | { kind: 'call'; call: PbxCall }
  | { kind: 'ignored'; reason: string }
  | { kind: 'unmappable'; reason: string };
