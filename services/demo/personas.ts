// The demo organisation and the people a newcomer can play in the local browser chat. They
// reach the bot exactly as Teams users do (tenant id, Entra object id, e-mail from member
// lookups), so no product code has a path of its own for them.
export const DEMO_TENANT_ID = 'b7e1c0de-0000-4000-8000-00000000d3e0';

export interface Persona {
  key: string;
  name: string;
  email: string;
  aadObjectId: string;
  /** What this persona shows a newcomer. */
  blurb: string;
  /** Holds the Global Administrator role of the demo tenant in Microsoft Entra (may register). */
  entraGlobalAdmin?: boolean;
}

export const PERSONAS: readonly Persona[] = [
  { key: 'emma', name: 'Emma Employee', email: 'emma@contoso.example', aadObjectId: 'a0000000-0000-4000-8000-000000000001', blurb: 'an employee at a pre-approved domain (contoso.example)' },
  { key: 'oliver', name: 'Oliver Outsider', email: 'oliver@fabrikam.example', aadObjectId: 'a0000000-0000-4000-8000-000000000002', blurb: 'an employee using another domain (fabrikam.example), who needs approval' },
  { key: 'priya', name: 'Priya PPC', email: 'priya@contoso.example', aadObjectId: 'a0000000-0000-4000-8000-000000000003', blurb: 'the Primary Program Contact' },
  { key: 'gabriel', name: 'Gabriel Global-Admin', email: 'gabriel@contoso.example', aadObjectId: 'a0000000-0000-4000-8000-000000000004', blurb: 'a global admin', entraGlobalAdmin: true },
];

export const DEMO_ORGANISATION = {
  _id: '1234567',
  partnerId: '1234567',
  legalName: 'Contoso Demo Ltd',
  searchName: 'contoso demo ltd',
  country: 'GB',
  address: '1 Demo Street, London',
  tenantId: DEMO_TENANT_ID,
  preApprovedDomains: ['contoso.example'],
  ppcAadObjectId: PERSONAS[2].aadObjectId,
};

/** Members the demo starts with: the PPC and the global admin are already associated. */
export const DEMO_MEMBERS = [
  { persona: PERSONAS[2], roles: [] as string[] },
  { persona: PERSONAS[3], roles: ['globalAdmin'] },
];
