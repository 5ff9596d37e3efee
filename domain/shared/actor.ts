/**
 * Who is acting: a lawyer (possibly the head of a bureau), an applicant, the Bar office (`admin`),
 * an operator of the system (reads workflows in the Temporal UI through the codec server, no cabinet
 * pages), or the system itself.
 */

export type ActorKind = 'lawyer' | 'applicant' | 'admin' | 'operator' | 'system';

export interface Actor {
  kind: ActorKind;
  id: string;
  /** Lawyers: the bureau; a lawyer practising individually is the head of a bureau of one. */
  bureauId?: string;
  isHead?: boolean;
}
