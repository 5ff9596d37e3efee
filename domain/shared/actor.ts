/** Who is acting: a lawyer (possibly the head of a bureau), an applicant, the Bar office or the system. */

export type ActorKind = 'lawyer' | 'applicant' | 'admin' | 'system';

export interface Actor {
  kind: ActorKind;
  id: string;
  /** Lawyers: the bureau; a lawyer practising individually is the head of a bureau of one. */
  bureauId?: string;
  isHead?: boolean;
}
