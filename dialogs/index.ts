// Every guided conversation, registered once. The bot starts one by its command's name.
import type { StatePropertyAccessor } from 'botbuilder';
import { DialogSet, type DialogState } from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import { AssociateDialog, ASSOCIATE_DIALOG, type AssociateDeps } from './associateDialog';
import { JoinDialog, JOIN_DIALOG } from './joinDialog';
import { LinkAccountDialog, LINK_DIALOG, type LinkDialogDeps } from './linkAccountDialog';
import { UnlinkAccountDialog, UNLINK_DIALOG } from './unlinkAccountDialog';
import { ProfileDialog, PROFILE_DIALOG } from './profileDialog';
import { RegisterDialog, REGISTER_DIALOG } from './registerDialog';
import type { Directory } from '../services/directory';
import type { AbuseLimits } from '../services/limits/rateLimit';

/** Command name → dialog id, for commands that are a guided conversation. */
export const DIALOG_FOR_COMMAND: Readonly<Record<string, string>> = {
  profile: PROFILE_DIALOG,
  associate: ASSOCIATE_DIALOG,
  join: JOIN_DIALOG,
  register: REGISTER_DIALOG,
  link: LINK_DIALOG,
  unlink: UNLINK_DIALOG,
};

export interface DialogDeps {
  association: Omit<AssociateDeps, 'db'>;
  directory: Directory;
  /** MCID / Partner University links; one-time codes go out like the association's. */
  certifications: Omit<LinkDialogDeps, 'db' | 'codes'>;
  /** Per-user abuse limits (requests, code e-mails) from configuration. */
  limits?: AbuseLimits;
}

export function createDialogs(db: Db, dialogState: StatePropertyAccessor<DialogState>, deps: DialogDeps): DialogSet {
  const dialogs = new DialogSet(dialogState);
  dialogs.add(new ProfileDialog(db));
  dialogs.add(new AssociateDialog({ db, limits: deps.limits, ...deps.association }));
  dialogs.add(new JoinDialog({ db, limits: deps.limits, ...deps.association }));
  dialogs.add(new RegisterDialog(db, deps.directory));
  dialogs.add(new LinkAccountDialog({ db, codes: deps.association.codes, limits: deps.limits, ...deps.certifications }));
  dialogs.add(new UnlinkAccountDialog({ db, followUps: deps.certifications.followUps }));
  return dialogs;
}
