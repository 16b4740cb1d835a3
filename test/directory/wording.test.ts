// Directory failures carry codes, never sentences: every kind is worded by the bot in the reader's
// language, so a French conversation never gets an English directory message, and a refusal
// whose cause is a directory failure is French from end to end.
import assert from 'node:assert/strict';
import { translator } from '../../i18n';
import { directoryText, refusalText } from '../../bot/userText';
import {
  DirectoryConflictError, DirectoryError, DirectoryForbiddenError, DirectoryUnavailableError, type DirectoryProblem,
} from '../../services/directory';
import { CodeDeliveryError } from '../../services/verification/codeDelivery';

const PLAIN: DirectoryProblem[] = [
  'throttled', 'unreachable', 'serverError', 'refused', 'badAnswer', 'unknownPerson', 'unknownOrganisation', 'signInUnreachable', 'signInRefused',
];
const REASONS: DirectoryUnavailableError['reason'][] = ['no-credentials', 'not-consented', 'credentials-rejected', 'no-sender-mailbox', 'no-teams-app'];

function everyKind(): DirectoryError[] {
  return [
    ...PLAIN.map((problem) => new DirectoryError('findUserByEmail', `log ${problem}`, problem)),
    ...REASONS.map((reason) => new DirectoryUnavailableError('sendMail', reason)),
    new DirectoryForbiddenError('listGlobalAdmins', ['RoleManagement.Read.Directory'], false),
    new DirectoryConflictError('createUser', { status: 400 }),
  ];
}

describe('directory: failures in the reader’s words', () => {
  it('every kind of failure has an English and a distinct French sentence, never a key or the log message', () => {
    const en = translator('en');
    const fr = translator('fr');
    const seen = new Set<string>();
    for (const err of everyKind()) {
      const english = directoryText(en, err);
      const french = directoryText(fr, err);
      const kind = err instanceof DirectoryUnavailableError ? err.reason : err.problem;
      assert.doesNotMatch(english, /^errors:|directory\.|^log /, kind);
      assert.doesNotMatch(french, /^errors:|directory\.|^log /, kind);
      assert.notEqual(french, english, `${kind} is not translated`);
      seen.add(english);
    }
    // Distinct problems are told apart (serverError and refused may share nothing with busy, etc.).
    assert.ok(seen.size >= 14, `only ${seen.size} different sentences`);
  });

  it('a code that could not be e-mailed because of Graph is refused in French, with the French reason', () => {
    const refusal = new CodeDeliveryError(new DirectoryForbiddenError('sendMail', ['Mail.Send'], false));
    assert.equal(
      refusalText(translator('fr'), refusal),
      "Je n'ai pas pu envoyer de code par e-mail : Le bot n'a pas le droit de faire cela : il lui faut l'une de ces autorisations Microsoft Graph : Mail.Send. Demandez à votre administrateur de l'accorder, avec le consentement administrateur.",
    );
    const offline = new CodeDeliveryError(new DirectoryError('sendMail', 'Graph unreachable for sendMail', 'unreachable'));
    assert.match(refusalText(translator('fr'), offline), /Microsoft Graph est injoignable/);
    assert.match(refusalText(translator('en'), offline), /^I could not e-mail a code: Microsoft Graph could not be reached/);
  });
});
