// People-management refusals in the user's words: the services name a reason (a code, an
// authorization action, a directory failure); this file says it in the turn's language.
import type { Translate } from '../../i18n';
import { AccessDenied } from '../../services/access/actor';
import { DirectoryConflictError, DirectoryError, DirectoryForbiddenError, DirectoryUnavailableError } from '../../services/directory';
import { PeopleRefused } from '../../services/people/errors';

/** The sentence for a refusal, or undefined when `err` is not one (a bug: let it propagate). */
export function refusalText(t: Translate, err: unknown): string | undefined {
  if (err instanceof AccessDenied) return deniedText(t, err);
  if (err instanceof PeopleRefused) return peopleText(t, err);
  if (err instanceof DirectoryError) return directoryText(t, err);
  return undefined;
}

function deniedText(t: Translate, err: AccessDenied): string {
  if (err.reason === 'noOrganisation') return t('people:denied.noOrganisation');
  switch (err.action) {
    case 'user.add': case 'user.remove': case 'user.list': case 'user.changeRoles': case 'roleRequest.decide':
      return t('people:denied.userManagement');
    case 'ppc.transfer': return t('people:denied.ppcTransfer');
    case 'role.assignGlobalAdmin': return t('people:refused.globalAdminOnly');
    default: return t('people:denied.other');
  }
}

function peopleText(t: Translate, err: PeopleRefused): string {
  const v = err.values;
  switch (err.code) {
    case 'nameEmpty': return t('people:refused.nameEmpty');
    case 'nameTooLong': return t('people:refused.nameTooLong');
    case 'nameControl': return t('people:refused.nameControl');
    case 'emailInvalid': return t('people:refused.emailInvalid');
    case 'roleUnknown': return t('people:refused.roleUnknown');
    case 'contactTypeUnknown': return t('people:refused.contactTypeUnknown');
    case 'noteTooLong': return t('people:refused.noteTooLong');
    case 'duplicateEmail': return t('people:refused.duplicateEmail', { email: v.email });
    case 'alreadyMember': return t('people:refused.alreadyMember', { name: v.name, email: v.email });
    case 'memberOfOtherOrganisation': return t('people:refused.memberOfOtherOrganisation', { email: v.email });
    case 'notInTenant': return t('people:refused.notInTenant', { email: v.email, domain: v.domain });
    case 'memberNotFound': return v.email ? t('people:refused.memberNotFoundEmail', { email: v.email }) : t('people:refused.memberNotFound');
    case 'removePpc': return t('people:refused.removePpc', { name: v.name });
    case 'lastGlobalAdmin': return t('people:refused.lastGlobalAdmin');
    case 'globalAdminOnly': return t('people:refused.globalAdminOnly');
    case 'changedMeanwhile': return t('people:refused.changedMeanwhile');
    case 'alreadyPpc': return t('people:refused.alreadyPpc', { name: v.name });
    case 'nothingRequested': return t('people:refused.nothingRequested');
    case 'alreadyHeld': return t('people:refused.alreadyHeld');
    case 'requestPending': return t('people:refused.requestPending');
    case 'requestNotFound': return t('people:refused.requestNotFound');
  }
}

function directoryText(t: Translate, err: DirectoryError): string {
  if (err instanceof DirectoryUnavailableError) return t('people:directory.unavailable');
  if (err instanceof DirectoryForbiddenError) return t('people:directory.forbidden', { permissions: err.permissions.join(', ') });
  if (err instanceof DirectoryConflictError) return t('people:directory.conflict');
  return t('people:directory.failed');
}
