// Why a people-management request was refused, as a code with values: the bot layer words it in
// the user's language. No sentence lives here.
export type PeopleRefusal =
  | 'nameEmpty' | 'nameTooLong' | 'nameControl'
  | 'emailInvalid'
  | 'roleUnknown' | 'contactTypeUnknown'
  | 'noteTooLong'
  /** An associated member of the organisation already has this address. */
  | 'duplicateEmail'
  /** The person found in the directory is already a member (under another address). */
  | 'alreadyMember'
  /** The person is associated with another organisation of the same tenant. */
  | 'memberOfOtherOrganisation'
  /** Not in the tenant's directory, and the address is not on one of the organisation's domains. */
  | 'notInTenant'
  | 'memberNotFound'
  /** The PPC cannot be removed: hand the role on first. */
  | 'removePpc'
  /** The change would leave the organisation without a global admin. */
  | 'lastGlobalAdmin'
  /** Only a global admin gives or takes the global admin role. */
  | 'globalAdminOnly'
  /** Someone changed the same thing at the same moment: look again. */
  | 'changedMeanwhile'
  | 'alreadyPpc'
  | 'nothingRequested'
  | 'alreadyHeld'
  | 'requestPending'
  | 'requestNotFound';

export class PeopleRefused extends Error {
  override name = 'PeopleRefused';
  constructor(readonly code: PeopleRefusal, readonly values: Record<string, string> = {}) {
    super(`people request refused: ${code}`);
  }
}
