// A small catalogue whose numbers the competency tests can reason about: both models, a level
// with two options, a requirement pair, a retired exam (70-533, counts until 31 December 2026).
import { parseCatalogue } from '../../services/competencies/catalogue';

export const TEST_CATALOGUE = parseCatalogue({
  version: 'test-1',
  competencies: [
    {
      id: 'cloud-platform', name: 'Cloud Platform', levels: [
        { id: 'silver', name: 'Silver', options: [{ id: 'infra', name: 'Azure infrastructure', model: 'people', requirements: [
          { id: 'certified', description: 'Two certified people', people: 2, credentials: ['AZ-104', 'AZ-305', { code: '70-533', countsUntil: '2026-12-31' }] },
        ] }] },
        { id: 'gold', name: 'Gold', options: [{ id: 'infra', name: 'Azure infrastructure', model: 'people', requirements: [
          { id: 'administrators', description: 'Four administrators', people: 4, credentials: ['AZ-104'] },
          { id: 'architect', description: 'One architect', people: 1, credentials: ['AZ-305'] },
        ] }] },
      ],
    },
    {
      id: 'data-analytics', name: 'Data Analytics', levels: [
        { id: 'silver', name: 'Silver', options: [
          { id: 'engineering', name: 'Data engineering', model: 'people', requirements: [{ id: 'engineers', description: 'Two data engineers', people: 2, credentials: ['DP-203'] }] },
          { id: 'bi', name: 'Business intelligence', model: 'people', requirements: [{ id: 'analysts', description: 'Two analysts', people: 2, credentials: ['PL-300'] }] },
        ] },
      ],
    },
    {
      id: 'sp-infra', name: 'Solutions Partner for Infrastructure (Azure)', kind: 'designation', levels: [
        { id: 'designation', name: 'Designation', options: [{ id: 'skilling', name: 'Skilling', model: 'points', threshold: 70, rules: [
          { id: 'intermediate', description: 'Intermediate certifications', pointsPerPerson: 10, maxPoints: 40, minPeople: 2, credentials: [{ type: 'certification', code: 'AZURE-ADMINISTRATOR-ASSOCIATE' }] },
          { id: 'advanced', description: 'Advanced certifications', pointsPerPerson: 20, maxPoints: 60, minPeople: 1, credentials: [{ type: 'certification', code: 'AZURE-SOLUTIONS-ARCHITECT-EXPERT' }] },
        ] }] },
      ],
    },
  ],
});
