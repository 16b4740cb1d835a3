// The directory in local mode: the demo personas stand in for the tenant's users, so features
// that ask Microsoft Entra (who is a global administrator, find a user) work in the browser chat.
// Mail and app installs stay unavailable, as without Graph credentials.
import { UnavailableDirectory, type Directory, type DirectoryUser } from '../directory';
import { DEMO_TENANT_ID, PERSONAS, type Persona } from './personas';

export class LocalDirectory implements Directory {
  readonly available = false;
  private readonly none = new UnavailableDirectory();
  readonly createUser = () => this.none.createUser();
  readonly sendMail = () => this.none.sendMail();
  readonly installAppForUser = () => this.none.installAppForUser();
  readonly findBotChat = () => this.none.findBotChat();

  async findUserByEmail(tenantId: string, email: string): Promise<DirectoryUser | null> {
    const p = PERSONAS.find((x) => tenantId === DEMO_TENANT_ID && x.email === email.toLowerCase());
    return p ? asUser(p) : null;
  }

  async getUser(tenantId: string, userId: string): Promise<DirectoryUser | null> {
    const p = PERSONAS.find((x) => tenantId === DEMO_TENANT_ID && x.aadObjectId === userId);
    return p ? asUser(p) : null;
  }

  async listGlobalAdmins(tenantId: string): Promise<DirectoryUser[]> {
    return tenantId === DEMO_TENANT_ID ? PERSONAS.filter((p) => p.entraGlobalAdmin).map(asUser) : [];
  }
}

function asUser(p: Persona): DirectoryUser {
  const [givenName, ...rest] = p.name.split(' ');
  return { id: p.aadObjectId, displayName: p.name, mail: p.email, userPrincipalName: p.email, givenName, surname: rest.join(' '), jobTitle: null, accountEnabled: true };
}
