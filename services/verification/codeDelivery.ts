// How a one-time code reaches its address: e-mail through Microsoft Graph, or, in local mode
// (no Graph, a newcomer trying the bot), the server's console only.
import type { Directory } from '../directory';
import { DirectoryError } from '../directory';

/** The code could not be sent; `message` is written for the user. */
export class CodeDeliveryError extends Error {}

export interface CodeDelivery {
  send(tenantId: string, to: string, code: string): Promise<void>;
}

export function graphCodeDelivery(directory: Directory): CodeDelivery {
  return {
    async send(tenantId, to, code) {
      try {
        await directory.sendMail(tenantId, {
          to: [to],
          subject: `Your MPN Association Bot code: ${code}`,
          body: `Your one-time code is ${code}. It expires in 10 minutes. If you did not ask for it, ignore this e-mail.`,
          contentType: 'text',
        });
      } catch (err) {
        if (err instanceof DirectoryError) throw new CodeDeliveryError(`I could not e-mail a code: ${err.userMessage}`);
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
