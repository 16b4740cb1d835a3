// The directory when the bot has no Graph credentials: it still runs, and every feature that
// needs Graph says so in one sentence instead of failing obscurely.
import { DirectoryUnavailableError } from './errors';
import type { AppInstallation, BotChat, CreatedUser, Directory, DirectoryOperation, DirectoryUser } from './types';

export class UnavailableDirectory implements Directory {
  readonly available = false;

  findUserByEmail(): Promise<DirectoryUser | null> {
    return refuse('findUserByEmail');
  }

  getUser(): Promise<DirectoryUser | null> {
    return refuse('getUser');
  }

  listGlobalAdmins(): Promise<DirectoryUser[]> {
    return refuse('listGlobalAdmins');
  }

  createUser(): Promise<CreatedUser> {
    return refuse('createUser');
  }

  sendMail(): Promise<void> {
    return refuse('sendMail');
  }

  installAppForUser(): Promise<AppInstallation> {
    return refuse('installAppForUser');
  }

  findBotChat(): Promise<BotChat | null> {
    return refuse('findBotChat');
  }
}

function refuse(operation: DirectoryOperation): Promise<never> {
  return Promise.reject(new DirectoryUnavailableError(operation, 'no-credentials'));
}
