/**
 * The top bar's search across all resources: a name in any script or spelling finds people (one row per
 * resolved person), and the same text finds evidence items, incidents, cases and sanctions proposals — each
 * section with its count over what the user may see and a "see all" that opens the area's list filtered by
 * the text. "/" jumps here from anywhere but a text field; arrows move through every section's options and
 * Enter opens one. Only roles the search route admits see it.
 */
import { Badge, Combobox, Group, Kbd, Loader, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconListSearch, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { request } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { describeError } from '../components/error-alert.js';
import { useFormat } from '../i18n/format.js';
import { useSchemaLabel } from '../registry/entities-page.js';
import { HighlightedName } from '../screening/highlight.js';
import {
  canSearch,
  countLabel,
  isSearchShortcut,
  optionTarget,
  optionValue,
  percent,
  SEE_ALL,
  type SearchAllResponse,
  type SearchHit,
  type SectionKey,
  searchRequestPath,
  searchText,
  seeAllValue,
  shownSections,
} from './top-bar-search-model.js';

/**
 * Secondary lines are the option's own colour, faded, not "dimmed" grey: the selected option is white on the
 * primary colour, where grey would fall below AA contrast.
 */
const SECONDARY = 0.85;

/** Waits this long after the last key before asking the server. */
const DEBOUNCE_MS = 250;

export function TopBarSearch() {
  const { user } = useSession();
  return canSearch(user?.role) ? <ResourceSearch /> : null;
}

function Secondary({ children }: { children: ReactNode }) {
  return (
    <Text size="xs" opacity={SECONDARY} lineClamp={1}>
      {children}
    </Text>
  );
}

/** A person or organization: the name with the words that matched marked, the form found if another. */
function PersonHit({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  const schemaLabel = useSchemaLabel();
  const other = hit.matchedName && hit.matchedName !== hit.title ? hit.matchedName : null;
  return (
    <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
      <Stack gap={0} miw={0}>
        <Text size="sm" fw={600} lineClamp={1}>
          {other ? hit.title : <HighlightedName name={hit.title} matched={hit.matchedWords} />}
        </Text>
        {other ? (
          <Text size="xs" lineClamp={1}>
            <Text span size="xs" opacity={SECONDARY}>
              {t('search.matchedAs')}:{' '}
            </Text>
            <HighlightedName name={other} matched={hit.matchedWords} size="xs" />
          </Text>
        ) : null}
        <Secondary>
          {[
            hit.tag ? schemaLabel(hit.tag) : null,
            hit.date ? t('search.born', { date: hit.date }) : null,
            hit.subtitle,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Secondary>
      </Stack>
      {hit.score !== null ? (
        <Badge variant="light" color="gray" radius="sm" title={t('search.score')} style={{ flexShrink: 0 }}>
          {percent(hit.score)}
        </Badge>
      ) : null}
    </Group>
  );
}

/** Evidence, incidents, cases, proposals: the title, a line of detail, a date. */
function OtherHit({ section, hit }: { section: Exclude<SectionKey, 'people'>; hit: SearchHit }) {
  const { t } = useTranslation();
  const format = useFormat();
  const tag =
    hit.tag && section === 'evidence'
      ? t(`evidence.kinds.${hit.tag}` as never)
      : hit.tag && section === 'cases'
        ? t(`cases.status.${hit.tag}` as never)
        : null;
  const detail = [tag, hit.subtitle, hit.date ? format.date(hit.date) : null].filter(Boolean).join(' · ');
  return (
    <Stack gap={0} miw={0}>
      <Text size="sm" fw={600} lineClamp={1}>
        {hit.title}
      </Text>
      {detail ? <Secondary>{detail}</Secondary> : null}
      {hit.matchedIn === 'note' ? <Secondary>{t('search.inNotes')}</Secondary> : null}
    </Stack>
  );
}

function ResourceSearch() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [debounced] = useDebouncedValue(value, DEBOUNCE_MS);
  const text = searchText(debounced);
  const typed = searchText(value);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const search = useQuery({
    queryKey: ['search', 'top-bar', text],
    queryFn: () => request<SearchAllResponse>('GET', searchRequestPath(text!)),
    enabled: text !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
  // Results for what is in the box now, not for an earlier text still on screen while the next one loads.
  const current = text !== null && text === typed && !search.isPlaceholderData ? search.data : undefined;
  const sections = shownSections(current);
  const pending = typed !== null && (typed !== text || search.isFetching);

  // "/" anywhere outside a text field focuses the search, as in many web apps.
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (!isSearchShortcut({ ...pickKeys(event), target })) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  // The best match is preselected when results arrive (not on every render, which would undo the arrows),
  // so Enter opens it; arrows move from there, through every section.
  const store = useRef(combobox);
  store.current = combobox;
  useEffect(() => {
    if (current && shownSections(current).length > 0) store.current.selectFirstOption();
  }, [current]);

  const open = (target: string) => {
    combobox.closeDropdown();
    setValue('');
    inputRef.current?.blur();
    void navigate(target);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && !combobox.dropdownOpened && value) {
      setValue('');
      return;
    }
    // Enter with nothing selected (results not in yet): the screening page screens the name in full.
    if (event.key === 'Enter' && typed !== null && combobox.getSelectedOptionIndex() === -1) {
      event.preventDefault();
      open(optionTarget(SEE_ALL, value));
    }
  };

  let status: string | null = null;
  const error = search.error && text === typed ? describeError(search.error, t) : null;
  if (error) status = error.message;
  else if (!current) status = t('search.searching');
  else if (sections.length === 0) status = t('search.none');
  const failed = current?.failed ?? [];

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(option) => open(optionTarget(option, value))}
      position="bottom-start"
      width={480}
      shadow="md"
      withinPortal
    >
      <Combobox.Target withExpandedAttribute>
        <TextInput
          ref={inputRef}
          value={value}
          onChange={(event) => {
            const next = event.currentTarget.value;
            setValue(next);
            if (searchText(next)) combobox.openDropdown();
            else combobox.closeDropdown();
          }}
          onFocus={() => {
            if (typed) combobox.openDropdown();
          }}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={onKeyDown}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          aria-keyshortcuts="/"
          autoComplete="off"
          spellCheck={false}
          leftSection={<IconSearch size={16} aria-hidden />}
          rightSection={
            pending ? (
              <Loader size={14} aria-hidden />
            ) : (
              <Kbd size="xs" title={t('search.shortcut')} aria-hidden>
                /
              </Kbd>
            )
          }
          w={{ base: 160, xs: 240, md: 340 }}
          size="sm"
          data-testid="top-bar-search"
        />
      </Combobox.Target>
      <Combobox.Dropdown data-testid="top-bar-search-dropdown">
        <Combobox.Options aria-label={t('search.results')} mah="70vh" style={{ overflowY: 'auto' }}>
          {status ? (
            <Combobox.Empty>
              <Text size="sm" c={error ? 'red' : 'dimmed'} role={error ? 'alert' : 'status'}>
                {status}
                {error?.code ? ` (${error.code})` : ''}
              </Text>
            </Combobox.Empty>
          ) : null}
          {sections.map((section) => {
            const label = t(`search.sections.${section.key}`);
            const count = countLabel(section.total, format.number);
            return (
              <Combobox.Group
                key={section.key}
                label={t('search.sectionCount', { section: label, count })}
                data-testid={`top-bar-search-section-${section.key}`}
              >
                {section.items.map((hit) => (
                  <Combobox.Option
                    key={hit.id}
                    value={optionValue(section.key, hit.id)}
                    data-testid="top-bar-search-result"
                    data-section={section.key}
                  >
                    {section.key === 'people' ? (
                      <PersonHit hit={hit} />
                    ) : (
                      <OtherHit section={section.key} hit={hit} />
                    )}
                  </Combobox.Option>
                ))}
                <Combobox.Option
                  value={seeAllValue(section.key)}
                  data-testid={`top-bar-search-all-${section.key}`}
                >
                  <Group gap={6} wrap="nowrap">
                    <IconListSearch size={16} aria-hidden />
                    <Text size="sm">
                      {section.key === 'people'
                        ? t('search.seeAllPeople', { count })
                        : t('search.seeAll', { section: label, count })}
                    </Text>
                  </Group>
                </Combobox.Option>
              </Combobox.Group>
            );
          })}
          {current && sections.length === 0 && typed ? (
            <Combobox.Option value={SEE_ALL} data-testid="top-bar-search-all-people">
              <Group gap={6} wrap="nowrap">
                <IconListSearch size={16} aria-hidden />
                <Text size="sm">{t('search.screenName')}</Text>
              </Group>
            </Combobox.Option>
          ) : null}
        </Combobox.Options>
        {failed.length > 0 ? (
          <Combobox.Footer>
            <Text size="xs" c="red" role="alert">
              {t('search.failed', {
                areas: failed
                  .map((area) => t(`search.areas.${area}` as never, { defaultValue: area }))
                  .join(', '),
              })}
            </Text>
          </Combobox.Footer>
        ) : null}
      </Combobox.Dropdown>
    </Combobox>
  );
}

function pickKeys(event: globalThis.KeyboardEvent) {
  return { key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey };
}
