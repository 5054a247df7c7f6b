import { useDocumentTitle } from '../../lib/document-title';
import { useEffect, useId, useState } from 'react';
import {
  Box,
  Button,
  Card,
  Chip,
  Collapse,
  IconButton,
  InputAdornment,
  Link,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
  useMediaQuery,
  useTheme,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import FilterListIcon from '@mui/icons-material/FilterList';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import SearchIcon from '@mui/icons-material/Search';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import type { AccountFilter, ContactField, ContactWarningCode, Environment, ReachabilityFilter, ReviewState } from '../../gql/graphql';
import { formatDate } from '../../lib/format';
import { usePortalConfig, useIntegrationTypeLabel } from '../../lib/portal-config';
import { ErrorAlert } from '../../components/error-alert';
import { PageSkeleton } from '../../components/loading';
import { PageHeader } from '../../components/page-header';
import { FIELD_ORDER } from '../contact-info/field-meta';
import { CreateAccountDialog } from './create-account-dialog';
import { GateChip } from '../../components/gate-chip';
import { HealthSummary } from './health-summary';
import { PageInfoFieldsDoc } from '../../components/cursor-pages';
import { getFragmentData } from '../../gql/fragment-masking';

export const StaffAccountsDocument = graphql(`
  query StaffAccounts($filter: AccountFilter, $first: Int, $after: String) {
    accounts(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        ...PageInfoFields
      }
      edges {
        cursor
        node {
          id
          name
          integrationTypes
          createdAt
          sandbox: accessGate(environment: SANDBOX) {
            ...AccessGateFields
          }
          production: accessGate(environment: PRODUCTION) {
            ...AccessGateFields
          }
        }
      }
    }
  }
`);

const PAGE_SIZE = 20;

const REVIEW_STATES: ReviewState[] = ['CURRENT', 'DUE', 'LOCKED'];
// Stored warning codes (REVIEW_DUE is the review filter).
const WARNING_CODES: ContactWarningCode[] = [
  'FREE_MAIL_DOMAIN',
  'NO_PAGER_ALIAS',
  'NO_PHONE_FOR_EMERGENCY',
  'SAME_ADDRESS_EVERYWHERE',
  'USER_FACING_IS_INTERNAL',
  'FORMER_MEMBER',
  'UNREACHABLE',
];

/** Staff dashboard: every account, searchable and filterable, with its gate in both environments. */
export function StaffAccountsPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('staff.title'), t('nav.staff'));
  const lang = i18n.resolvedLanguage ?? 'en';
  const config = usePortalConfig();
  const typeLabel = useIntegrationTypeLabel();
  const theme = useTheme();
  const phone = useMediaQuery(theme.breakpoints.down('sm'));
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [cursors, setCursors] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const filtersId = useId();

  const q = params.get('q') ?? '';
  const locked = params.get('locked') ?? '';
  const env = (params.get('env')?.toUpperCase() ?? 'SANDBOX') as Environment;
  const type = params.get('type') ?? '';
  const missing = params.get('missing') ?? '';
  // Health filters, set by the summary chart's links.
  const review = (params.get('review') ?? '') as ReviewState | '';
  const warnings = params.get('warnings') ?? '';
  const warning = (params.get('warning') ?? '') as ContactWarningCode | '';
  const reach = params.get('reach') ?? '';

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    setCursors([]);
  };

  // Search as the user types, without a request per keystroke.
  useEffect(() => {
    if (search === q) return;
    const timer = setTimeout(() => setParam('q', search.trim()), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  const filter: AccountFilter = { environment: env };
  if (q) filter.search = q;
  if (locked) filter.locked = locked === 'locked';
  if (type) filter.integrationType = type;
  if (missing) filter.missing = missing as ContactField;
  if (review) filter.review = review;
  if (warnings) filter.hasWarnings = true;
  if (warning) filter.warning = warning;
  if (reach) filter.reachability = reach as ReachabilityFilter;

  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, fetching, error }] = useQuery({
    query: StaffAccountsDocument,
    variables: { filter, first: PAGE_SIZE, after },
  });
  const connection = data?.accounts;
  const pageInfo = getFragmentData(PageInfoFieldsDoc, connection?.pageInfo);
  const start = cursors.length * PAGE_SIZE;
  const filtered = Boolean(q || locked || type || missing || review || warnings || warning || reach);
  // No match says so, with the next step: clear the filters (or, with none, create the first account).
  const emptyState = (
    <Box sx={{ py: 2, textAlign: 'center', display: 'grid', gap: 1, justifyItems: 'center' }}>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {filtered ? t('staff.noMatch') : t('staff.noAccountsYet')}
      </Typography>
      {filtered ? (
        <Button
          variant="outlined"
          size="small"
          onClick={() => {
            setSearch('');
            setParams(new URLSearchParams(env === 'SANDBOX' ? {} : { env: env.toLowerCase() }), { replace: true });
            setCursors([]);
          }}
        >
          {t('staff.clearFilters')}
        </Button>
      ) : (
        <Button variant="outlined" size="small" onClick={() => setCreating(true)}>
          {t('staff.createFirst')}
        </Button>
      )}
    </Box>
  );

  // At phone width the four selects fold behind one "Filters" button (with how many are set), so the
  // list starts on the first screen; the search stays visible.
  const activeFilters = [locked, type, missing, env === 'SANDBOX' ? '' : env, review, warnings || warning, reach].filter(Boolean).length;
  const warningValue = warning || (warnings ? 'any' : '');
  const setWarning = (value: string) => {
    const next = new URLSearchParams(params);
    next.delete('warnings');
    next.delete('warning');
    if (value === 'any') next.set('warnings', 'any');
    else if (value) next.set('warning', value);
    setParams(next, { replace: true });
    setCursors([]);
  };
  const filterFields = (
    <>
      <TextField select label={t('staff.gateFilter')} value={locked} onChange={(e) => setParam('locked', e.target.value)}>
        <MenuItem value="">{t('staff.all')}</MenuItem>
        <MenuItem value="locked">{t('staff.lockedOnly')}</MenuItem>
        <MenuItem value="unlocked">{t('staff.unlockedOnly')}</MenuItem>
      </TextField>
      <TextField select label={t('staff.envFilter')} value={env} onChange={(e) => setParam('env', e.target.value.toLowerCase())}>
        <MenuItem value="SANDBOX">{t('environment.SANDBOX')}</MenuItem>
        <MenuItem value="PRODUCTION">{t('environment.PRODUCTION')}</MenuItem>
      </TextField>
      <TextField select label={t('staff.typeFilter')} value={type} onChange={(e) => setParam('type', e.target.value)}>
        <MenuItem value="">{t('staff.all')}</MenuItem>
        {(config?.integrationTypes ?? []).map((it) => (
          <MenuItem key={it.name} value={it.name}>
            {typeLabel(it.name)}
          </MenuItem>
        ))}
      </TextField>
      <TextField select label={t('staff.missingFilter')} value={missing} onChange={(e) => setParam('missing', e.target.value)}>
        <MenuItem value="">{t('staff.any')}</MenuItem>
        {FIELD_ORDER.map((f) => (
          <MenuItem key={f} value={f}>
            {t(`fields.${f}.label`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField select label={t('staff.reviewFilter')} value={review} onChange={(e) => setParam('review', e.target.value)}>
        <MenuItem value="">{t('staff.all')}</MenuItem>
        {REVIEW_STATES.map((r) => (
          <MenuItem key={r} value={r}>
            {t(`review.state.${r}`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField select label={t('staff.warningFilter')} value={warningValue} onChange={(e) => setWarning(e.target.value)}>
        <MenuItem value="">{t('staff.all')}</MenuItem>
        <MenuItem value="any">{t('health.anyWarning')}</MenuItem>
        {WARNING_CODES.map((c) => (
          <MenuItem key={c} value={c}>
            {t(`review.code.${c}`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField select label={t('reach.staffFilter')} value={reach} onChange={(e) => setParam('reach', e.target.value)}>
        <MenuItem value="">{t('staff.any')}</MenuItem>
        <MenuItem value="UNREACHABLE">{t('reach.filterUnreachable')}</MenuItem>
        <MenuItem value="UNVERIFIED">{t('reach.filterUnverified')}</MenuItem>
      </TextField>
    </>
  );

  return (
    <>
      <PageHeader
        title={t('staff.title')}
        description={t('staff.description')}
        actions={
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setCreating(true)}>
            {t('staff.createAccount')}
          </Button>
        }
      />
      <HealthSummary />
      <Card>
        <Box
          role="search"
          sx={{
            p: 2,
            display: 'grid',
            gap: 1.5,
            gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: '2fr 1fr 1fr 1fr 1fr 1fr' },
            borderBottom: 1,
            borderColor: 'divider',
          }}
        >
          <TextField
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            label={t('staff.search')}
            placeholder={t('staff.searchPlaceholder')}
            type="search"
            slotProps={{
              input: {
                startAdornment: (
                  <InputAdornment position="start">
                    <SearchIcon />
                  </InputAdornment>
                ),
              },
            }}
          />
          {phone ? (
            // One grid cell, so the folded filters leave no gap of their own.
            <Box>
              <Button
                variant="outlined"
                startIcon={<FilterListIcon />}
                aria-expanded={filtersOpen}
                aria-controls={filtersId}
                onClick={() => setFiltersOpen((open) => !open)}
                sx={{ justifySelf: 'start' }}
              >
                {activeFilters > 0 ? t('staff.filtersActive', { count: activeFilters }) : t('staff.filters')}
              </Button>
              <Collapse in={filtersOpen} id={filtersId}>
                <Box sx={{ display: 'grid', gap: 1.5, pt: 2 }}>{filterFields}</Box>
              </Collapse>
            </Box>
          ) : (
            filterFields
          )}
        </Box>
        {error && <ErrorAlert error={error} sx={{ m: 2 }} />}
        {fetching && !data ? (
          <Box sx={{ p: 2 }}>
            <PageSkeleton cards={1} rows={6} />
          </Box>
        ) : phone ? (
          <Box component="ul" aria-label={t('staff.tableLabel')} sx={{ listStyle: 'none', m: 0, p: 0 }}>
            {connection?.edges.map(({ node }) => (
              <Box component="li" key={node.id} sx={{ px: 2, py: 1.5, borderBottom: 1, borderColor: 'divider' }}>
                <Link component={RouterLink} to={`/staff/accounts/${encodeURIComponent(node.id)}`} sx={{ fontWeight: 500 }}>
                  {node.name}
                </Link>
                <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }} noWrap>
                  {node.integrationTypes.map(typeLabel).join(', ')}
                </Typography>
                <Box sx={{ display: 'flex', gap: 2, mt: 1, flexWrap: 'wrap' }}>
                  {([['SANDBOX', node.sandbox], ['PRODUCTION', node.production]] as const).map(([environment, gate]) => (
                    <Box key={environment} sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
                      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                        {t(`environment.${environment}`)}
                      </Typography>
                      <GateChip gate={gate} />
                    </Box>
                  ))}
                </Box>
              </Box>
            ))}
            {connection && connection.edges.length === 0 && (
              <Box component="li" sx={{ p: 1 }}>
                {emptyState}
              </Box>
            )}
          </Box>
        ) : (
          <TableContainer>
            <Table aria-label={t('staff.tableLabel')} sx={{ minWidth: { sm: 640 } }}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('staff.colAccount')}</TableCell>
                  <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>{t('staff.colTypes')}</TableCell>
                  <TableCell>{t('environment.SANDBOX')}</TableCell>
                  <TableCell>{t('environment.PRODUCTION')}</TableCell>
                  <TableCell sx={{ display: { xs: 'none', lg: 'table-cell' } }}>{t('staff.colCreated')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {connection?.edges.map(({ node }) => (
                  <TableRow key={node.id} hover>
                    <TableCell>
                      <Link component={RouterLink} to={`/staff/accounts/${encodeURIComponent(node.id)}`} sx={{ fontWeight: 500 }}>
                        {node.name}
                      </Link>
                      <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
                        {node.id}
                      </Typography>
                    </TableCell>
                    <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                      <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
                        {node.integrationTypes.map((it) => (
                          <Chip key={it} size="small" variant="outlined" label={typeLabel(it)} />
                        ))}
                      </Box>
                    </TableCell>
                    <TableCell>
                      <GateChip gate={node.sandbox} />
                    </TableCell>
                    <TableCell>
                      <GateChip gate={node.production} />
                    </TableCell>
                    <TableCell sx={{ display: { xs: 'none', lg: 'table-cell' }, whiteSpace: 'nowrap' }}>
                      {formatDate(node.createdAt, lang)}
                    </TableCell>
                  </TableRow>
                ))}
                {connection && connection.edges.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={5}>{emptyState}</TableCell>
                  </TableRow>
                )}
              </TableBody>
            </Table>
          </TableContainer>
        )}
        {connection && connection.totalCount > 0 && (
          <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'flex-end', gap: 1, px: 2, py: 1, borderTop: 1, borderColor: 'divider' }}>
            <Typography variant="body2" sx={{ color: 'text.secondary' }} aria-live="polite">
              {t('staff.range', { from: start + 1, to: start + connection.edges.length, total: connection.totalCount })}
            </Typography>
            <Tooltip title={t('staff.previous')}>
              <span>
                <IconButton aria-label={t('staff.previous')} disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  <ChevronLeftIcon />
                </IconButton>
              </span>
            </Tooltip>
            <Tooltip title={t('staff.next')}>
              <span>
                <IconButton
                  aria-label={t('staff.next')}
                  disabled={!pageInfo?.hasNextPage || !pageInfo.endCursor}
                  onClick={() => pageInfo?.endCursor && setCursors((c) => [...c, pageInfo.endCursor as string])}
                >
                  <ChevronRightIcon />
                </IconButton>
              </span>
            </Tooltip>
          </Box>
        )}
      </Card>
      <CreateAccountDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
