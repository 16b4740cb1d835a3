// What `status` shows a user: their latest request, its organisation, and who can decide it.
import type { Db } from 'mongodb';
import type { Identity } from '../access/identity';
import { collections } from '../db/collections';
import type { OrganisationDoc } from '../organisations/organisation';
import { latestRequest } from './associate';
import { approversOf, type Approver } from './approvers';
import type { AssociationRequestDoc } from './request';

export interface RequestStatusView {
  request: AssociationRequestDoc;
  organisation: Pick<OrganisationDoc, 'partnerId' | 'legalName'>;
  approvers: Approver[];
}

export async function requestStatus(db: Db, who: Identity): Promise<RequestStatusView | undefined> {
  const request = await latestRequest(db, who);
  if (!request) return undefined;
  const org = await db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: request.orgId, tenantId: who.tenantId });
  return {
    request,
    organisation: { partnerId: request.orgId, legalName: org?.legalName ?? `Partner ID ${request.orgId}` },
    approvers: request.status === 'pending' ? await approversOf(db, request.orgId) : [],
  };
}
