// An organisation's partner profile (DESIGN §3): Partner ID, legal name, country, address, the
// Entra tenant it belongs to, pre-approved e-mail domains and exactly one PPC.
export interface OrganisationDoc {
  /** The Partner ID (MPN ID): digits, unique. */
  _id: string;
  partnerId: string;
  legalName: string;
  /** The legal name, lower case without accents, for name search (see search.ts searchKey). */
  searchName: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  address: string;
  tenantId: string;
  /** Lower-case, punycode domains whose proven addresses are accepted without approval. */
  preApprovedDomains: string[];
  /** The Primary Program Contact's Entra object id. */
  ppcAadObjectId: string;
  createdAt: Date;
}
