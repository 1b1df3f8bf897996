import { eventTypeOf, type EventFilter, type StreamEvent } from './StreamEvent.js';

/**
 * A predicate for `filter`, with LangChain's semantics: an event passes the include step when no
 * include filter is given or when it matches any of them (name, type or one of its tags); then it
 * is dropped if it matches any exclude filter. As in LangChain, an include list that is given but
 * empty is a filter matching nothing, while an empty exclude list excludes nothing.
 */
export function eventFilter(filter: EventFilter = {}): (event: StreamEvent) => boolean {
  const includeNames = toSet(filter.includeNames);
  const includeTypes = toSet(filter.includeTypes);
  const includeTags = toSet(filter.includeTags);
  const excludeNames = toSet(filter.excludeNames);
  const excludeTypes = toSet(filter.excludeTypes);
  const excludeTags = toSet(filter.excludeTags);
  const hasInclude = !!(includeNames || includeTypes || includeTags);
  const hasExclude = !!(excludeNames?.size || excludeTypes?.size || excludeTags?.size);
  if (!hasInclude && !hasExclude) return () => true;
  return (event) => {
    const type = eventTypeOf(event);
    if (hasInclude) {
      const included = !!includeNames?.has(event.name) || !!includeTypes?.has(type)
        || (!!includeTags && event.tags.some((tag) => includeTags.has(tag)));
      if (!included) return false;
    }
    if (!hasExclude) return true;
    return !(excludeNames?.has(event.name) || excludeTypes?.has(type)
      || (excludeTags && event.tags.some((tag) => excludeTags.has(tag))));
  };
}

function toSet<T>(values: readonly T[] | undefined): Set<T> | undefined {
  return values ? new Set(values) : undefined;
}
