// An association request (seed 000): the employee's profile and the organisation they picked.
import type { LanguageCode } from '../people/languages';

export type RequestStatus = 'pending' | 'accepted' | 'approved' | 'rejected' | 'cancelled';

export interface Requester {
  aadObjectId: string;
  displayName: string;
  /** Work e-mail, normalised. */
  email: string;
  phone?: string;
  language: LanguageCode;
  mcid?: string;
}

export interface AssociationRequestDoc {
  _id: string;
  tenantId: string;
  orgId: string;
  requester: Requester;
  /** The address matched the Teams identity or a code sent to it was typed back. */
  emailProven: boolean;
  domainPreApproved: boolean;
  invited: boolean;
  status: RequestStatus;
  createdAt: Date;
  decidedAt?: Date;
  decidedBy?: { aadObjectId: string; displayName: string };
  reason?: string;
}
