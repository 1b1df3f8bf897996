import { dispatcherOf, eventTypeOf, type EventFilter, type StreamEvent } from './StreamEvent.js';

/**
 * A predicate for `filter`, with LangChain's semantics: an event passes the include step when no
 * include filter is given or when it matches any of them (name, type or one of its tags); then it
 * is dropped if it matches any exclude filter. As in LangChain, an include list that is given but
 * empty is a filter matching nothing, while an empty exclude list excludes nothing.
 *
 * A custom event is matched by the run that dispatched it, as in LangChain.js: its name, its type
 * and its tags (`includeNames: ['step']` keeps the custom events `step` sends). It also matches
 * the type `custom`, which LangChain.js does not have.
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
    const dispatcher = type === 'custom' ? dispatcherOf(event) : undefined;
    const name = dispatcher ? dispatcher.name : event.name;
    const hasType = (types: Set<string> | undefined) => !!types && (types.has(type) || (!!dispatcher && types.has(dispatcher.type)));
    if (hasInclude) {
      const included = !!includeNames?.has(name) || hasType(includeTypes)
        || (!!includeTags && event.tags.some((tag) => includeTags.has(tag)));
      if (!included) return false;
    }
    if (!hasExclude) return true;
    return !(excludeNames?.has(name) || hasType(excludeTypes)
      || (excludeTags && event.tags.some((tag) => excludeTags.has(tag))));
  };
}

function toSet<T>(values: readonly T[] | undefined): Set<T> | undefined {
  return values ? new Set(values) : undefined;
}
