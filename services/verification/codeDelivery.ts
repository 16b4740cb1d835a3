// How a one-time code reaches its address: e-mail through Microsoft Graph, or, in local mode
// (no Graph, a newcomer trying the bot), the server's console only. The e-mail's words come from
// the caller, in the recipient's language.
import type { Directory } from '../directory';
import { DirectoryError } from '../directory';
import { Refusal } from '../refusal';

/** The code could not be sent; the directory's problem (or a sentence naming it) is the detail. */
export class CodeDeliveryError extends Refusal {
  constructor(problem?: DirectoryError | string) {
    super('errors:codes.notSent', typeof problem === 'string' ? { detail: problem } : {}, typeof problem === 'string' ? undefined : problem);
  }
}

/** The e-mail carrying a code, already translated. */
export interface CodeMail { subject: string; body: string }

export interface CodeDelivery {
  /** `mail`: the translated subject and body; without it, the English wording below. */
  send(tenantId: string, to: string, code: string, mail?: CodeMail): Promise<void>;
}

/** For callers that do not translate (yet); the dialogs pass the user's language. */
const englishMail = (code: string): CodeMail => ({
  subject: `Your MPN Association Bot code: ${code}`,
  body: `Your one-time code is ${code}. It expires in 10 minutes. If you did not ask for it, ignore this e-mail.`,
});

export function graphCodeDelivery(directory: Directory): CodeDelivery {
  return {
    async send(tenantId, to, code, mail = englishMail(code)) {
      try {
        await directory.sendMail(tenantId, { to: [to], subject: mail.subject, body: mail.body, contentType: 'text' });
      } catch (err) {
        if (err instanceof DirectoryError) throw new CodeDeliveryError(err);
        throw err;
      }
    },
  };
}

/** Local mode only: the code is printed on the server's console, where the newcomer runs it. */
export function consoleCodeDelivery(print: (line: string) => void): CodeDelivery {
  return {
    async send(_tenantId, to, code) {
      const masked = to.replace(/^(.)[^@]*/, '$1***');
      print(`[local mode] one-time code for ${masked}: ${code}`);
    },
  };
}
