// The demo personas as Teams accounts of the local connector, so member lookups answer with
// their e-mail and UPN exactly as Teams would.
import { DEMO_TENANT_ID, PERSONAS, type Persona } from '../../services/demo/personas';
import type { LocalAccount, LocalConnector } from './connector';

export function personaAccount(persona: Persona): LocalAccount {
  return {
    id: `29:${persona.key}`, name: persona.name, aadObjectId: persona.aadObjectId,
    email: persona.email, userPrincipalName: persona.email, tenantId: DEMO_TENANT_ID,
  };
}

export function addPersonaAccounts(connector: LocalConnector): LocalAccount[] {
  return PERSONAS.map((p) => connector.addAccount(personaAccount(p)));
}
