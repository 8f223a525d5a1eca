/**
 * The CVO's own checks of a ClusterVersion (lib/validation): what makes it report `Invalid=True`
 * and ignore `spec.desiredUpdate` until fixed.
 */
import { fieldError, formatFieldError, type FieldError } from '../../apiserver/field-errors.ts';
import type { ClusterVersionSpec, Release, UpdateHistory } from '../../api/config/cluster-version.ts';
import { parseSemVer } from './versions.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/i;

function payloadsForVersion(
  version: string,
  availableUpdates: readonly Release[],
  history: readonly Pick<UpdateHistory, 'version' | 'image'>[],
): number {
  const available = availableUpdates.filter((u) => u.version === version && u.image !== '').length;
  if (available > 0) return available;
  return history.some((h) => h.version === version && h.image !== '') ? 1 : 0;
}

export function validateClusterVersion(
  spec: ClusterVersionSpec | undefined,
  availableUpdates: readonly Release[],
  history: readonly Pick<UpdateHistory, 'version' | 'image'>[],
): FieldError[] {
  const errors: FieldError[] = [];
  const clusterID = spec?.clusterID ?? '';
  if (clusterID !== '') {
    const match = uuidPattern.exec(clusterID);
    if (match === null || !/[89ab]/i.test(match[2] ?? '')) {
      errors.push(fieldError.invalid('spec.clusterID', clusterID, 'must be an RFC4122-variant UUID'));
    } else if (match[1] !== '4') {
      errors.push(fieldError.invalid('spec.clusterID', clusterID, 'must be a version-4 UUID'));
    }
  }
  const update = spec?.desiredUpdate;
  if (update !== undefined) {
    const version = update.version ?? '';
    const image = update.image ?? '';
    if ((update.architecture ?? '') === '' && version === '' && image === '') {
      errors.push(fieldError.required('spec.desiredUpdate', 'must specify architecture, version, or image'));
    } else if (version !== '' && typeof parseSemVer(version) === 'string') {
      errors.push(
        fieldError.invalid('spec.desiredUpdate.version', version, 'must be a semantic version (1.2.3[-...])'),
      );
    } else if (version !== '' && image === '') {
      const count = payloadsForVersion(version, availableUpdates, history);
      if (count === 0) {
        errors.push(
          fieldError.invalid(
            'spec.desiredUpdate.version',
            version,
            'when image is empty the update must be an available update',
          ),
        );
      } else if (count > 1) {
        errors.push(
          fieldError.invalid(
            'spec.desiredUpdate.version',
            version,
            'there are multiple possible payloads for this version, specify the exact image',
          ),
        );
      }
    }
  }
  return errors;
}

export function invalidMessage(errors: readonly FieldError[]): string {
  if (errors.length === 1)
    return `The cluster version is invalid: ${formatFieldError(errors[0] as FieldError)}`;
  return `The cluster version is invalid:\n${errors.map((e) => `* ${formatFieldError(e)}\n`).join('')}`;
}
