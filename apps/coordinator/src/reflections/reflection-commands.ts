import { closestNames } from '@tributary/common';
import { CatalogError } from '@tributary/common';
import type { ReflectionRecord } from '@tributary/reflections';
import type { ReflectionDataset } from '@tributary/sql';
import type { CommandHandlers } from '../commands/catalog-commands.ts';
import type { ReflectionService } from './reflection-service.ts';

export type ReflectionCommandKind =
  'create_reflection' | 'drop_reflection' | 'refresh_reflections' | 'refresh_method' | 'enable_reflections';

export type ReflectionCommandHandlers = Pick<CommandHandlers, ReflectionCommandKind>;

const shown = (dataset: ReflectionDataset) => `[${dataset.path.join('.')}]`;

/** The reflection of this name on the dataset, or REFLECTION_NOT_FOUND with a "did you mean". */
function named(service: ReflectionService, dataset: ReflectionDataset, name: string): ReflectionRecord {
  const found = service.store.find(dataset.path, name);
  if (found) return found;
  const names = service.store.list({ datasetPath: dataset.path }).map((r) => r.name);
  throw new CatalogError('REFLECTION_NOT_FOUND', `no reflection "${name}" on ${dataset.path.join('.')}`, {
    status: 404,
    suggestions: closestNames(name, names),
  });
}

/**
 * The reflection statements, applied on the coordinator's main thread: a catalog write each,
 * and a build queued where one is needed (it runs as a job of its own; the statement does
 * not wait for it).
 */
export function reflectionCommands(service: ReflectionService): ReflectionCommandHandlers {
  return {
    create_reflection: ({ dataset, reflection }, { user }) => {
      const created = service.store.create({ ...reflection, datasetPath: dataset.path, owner: user ?? null });
      service.request(created.id);
      return `Reflection [${created.name}] has been created on ${shown(dataset)}; its build is queued (id ${created.id})`;
    },
    drop_reflection: ({ dataset, name }) => {
      const dropped = service.store.drop(named(service, dataset, name).id);
      service.dropped(dropped.id);
      return `Reflection [${dropped.name}] on ${shown(dataset)} deleted`;
    },
    refresh_reflections: ({ dataset }) => {
      const enabled = service.store.list({ datasetPath: dataset.path }).filter((r) => r.enabled);
      for (const reflection of enabled) service.refreshNow(reflection.id);
      return `Refresh of ${enabled.length} reflection${enabled.length === 1 ? '' : 's'} on ${shown(dataset)} queued`;
    },
    refresh_method: ({ dataset, refreshField }) => {
      const reflections = service.store.setDatasetRefreshField(dataset.path, refreshField);
      const method = refreshField === null ? 'FULL' : `INCREMENTAL BY ${refreshField}`;
      return `Refresh method of ${shown(dataset)} set to ${method} (${reflections.length} reflection${reflections.length === 1 ? '' : 's'})`;
    },
    enable_reflections: ({ dataset, enabled, target }) => {
      const targets =
        'name' in target
          ? [named(service, dataset, target.name)]
          : service.store.list({ datasetPath: dataset.path }).filter((r) => r.type === target.type);
      for (const reflection of targets) {
        const altered = service.store.alter(reflection.id, { enabled });
        if (altered.enabled && altered.status === 'REFRESHING') service.request(altered.id);
      }
      const what = targets.map((r) => `[${r.name}]`).join(', ') || 'no reflection';
      return `${what} on ${shown(dataset)} ${enabled ? 'enabled' : 'disabled'}`;
    },
  };
}
