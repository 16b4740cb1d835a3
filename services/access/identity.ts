// Who is asking: the Entra (Azure AD) identity Teams puts on every activity. Services take this
// plain shape, never a botbuilder type, and scope every query by its tenant.
export interface Identity {
  tenantId: string;
  aadObjectId: string;
  /** Display name as Teams sent it; informational only, never used for decisions. */
  name?: string;
}
