import { Box, Card, CardContent, Link, Typography } from '@mui/material';
import { useTheme } from '@mui/material/styles';
import { Bar, BarChart, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Link as RouterLink, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql/gql';
import { ErrorAlert } from '../../components/error-alert';

export const AccountHealthDocument = graphql(`
  query AccountHealth {
    accountHealth(environment: PRODUCTION) {
      environment
      total
      complete
      locked
      reviewCurrent
      reviewDue
      reviewLocked
      withWarnings
      unreachable
      unverified
      warnings {
        code
        accounts
      }
    }
  }
`);

type Part = { key: string; label: string; count: number; to: string; color: string };

/**
 * The staff dashboard's opening view: how all accounts are doing, as a bar chart whose parts link to
 * the accounts list filtered the same way (each count is that list's total). The chart is drawn for
 * the eye; the same parts follow as a list of links for keyboards and screen readers.
 */
export function HealthSummary() {
  const { t } = useTranslation();
  const theme = useTheme();
  const navigate = useNavigate();
  const [{ data, error }] = useQuery({ query: AccountHealthDocument });
  const h = data?.accountHealth;
  if (error) return <ErrorAlert error={error} sx={{ mb: 2 }} />;
  if (!h) return null;
  const { palette } = theme;
  const parts: Part[] = [
    { key: 'complete', label: t('health.complete'), count: h.complete, to: '/staff?env=production&locked=unlocked', color: palette.success.main },
    { key: 'locked', label: t('health.locked'), count: h.locked, to: '/staff?env=production&locked=locked', color: palette.error.main },
    { key: 'reviewCurrent', label: t('health.reviewCurrent'), count: h.reviewCurrent, to: '/staff?review=CURRENT', color: palette.success.dark },
    { key: 'reviewDue', label: t('health.reviewDue'), count: h.reviewDue, to: '/staff?review=DUE', color: palette.warning.main },
    { key: 'reviewLocked', label: t('health.reviewLocked'), count: h.reviewLocked, to: '/staff?review=LOCKED', color: palette.error.dark },
    { key: 'withWarnings', label: t('health.withWarnings'), count: h.withWarnings, to: '/staff?warnings=any', color: palette.warning.dark },
    { key: 'unverified', label: t('health.unverified'), count: h.unverified, to: '/staff?reach=UNVERIFIED', color: palette.info.main },
    { key: 'unreachable', label: t('health.unreachable'), count: h.unreachable, to: '/staff?reach=UNREACHABLE', color: palette.error.light },
  ];
  const warned = h.warnings.filter((w) => w.accounts > 0);
  return (
    <Card sx={{ mb: 3 }} component="section" aria-labelledby="health-title" data-testid="health-summary">
      <CardContent>
        <Typography id="health-title" variant="h6" component="h2">
          {t('health.title')}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
          {t('health.description', { count: h.total })}
        </Typography>
        <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' }, alignItems: 'center' }}>
          <Box aria-hidden sx={{ height: 300, minWidth: 0 }} data-testid="health-chart">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={parts} layout="vertical" margin={{ left: 8, right: 24 }} accessibilityLayer={false}>
                <XAxis type="number" allowDecimals={false} stroke={palette.text.secondary} />
                <YAxis type="category" dataKey="label" width={150} stroke={palette.text.secondary} tick={{ fontSize: 12 }} />
                <Tooltip cursor={{ fill: palette.action.hover }} />
                <Bar dataKey="count" name={t('health.accounts')} cursor="pointer" onClick={(_, i) => navigate(parts[i].to)}>
                  {parts.map((p) => (
                    <Cell key={p.key} fill={p.color} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </Box>
          <Box>
            <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0, display: 'grid', gap: 0.5 }} aria-label={t('health.title')}>
              {parts.map((p) => (
                <li key={p.key}>
                  <Box component="span" sx={{ display: 'inline-block', width: 10, height: 10, bgcolor: p.color, borderRadius: 0.5, mr: 1 }} />
                  <Link component={RouterLink} to={p.to}>
                    {t('health.part', { label: p.label, count: p.count })}
                  </Link>
                </li>
              ))}
            </Box>
            {warned.length > 0 && (
              <>
                <Typography variant="subtitle2" component="h3" sx={{ mt: 2 }}>
                  {t('health.byWarning')}
                </Typography>
                <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
                  {warned.map((w) => (
                    <li key={w.code}>
                      <Link component={RouterLink} to={`/staff?warning=${w.code}`}>
                        {t('health.part', { label: t(`review.code.${w.code}`), count: w.accounts })}
                      </Link>
                    </li>
                  ))}
                </Box>
              </>
            )}
          </Box>
        </Box>
      </CardContent>
    </Card>
  );
}
