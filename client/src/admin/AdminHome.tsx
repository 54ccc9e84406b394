/** Admin mode: profiles, members, rules, activity, usage and plan. */
import { Link } from '../app/router.tsx';
import { useT } from '../i18n/i18n.tsx';
import { AuditLog } from './AuditLog.tsx';
import { MembersAdmin } from './MembersAdmin.tsx';
import { PoliciesAdmin } from './PoliciesAdmin.tsx';
import { ProfilesAdmin } from './ProfilesAdmin.tsx';
import { UsageAdmin } from './UsageAdmin.tsx';

const SECTIONS = [
  { path: '/admin/profiles', key: 'admin.profiles' },
  { path: '/admin/members', key: 'admin.members' },
  { path: '/admin/policies', key: 'admin.policies' },
  { path: '/admin/audit', key: 'admin.audit' },
  { path: '/admin/usage', key: 'admin.usage' },
] as const;

export function AdminHome({ path }: { path: string }) {
  const t = useT();
  const current = SECTIONS.find((s) => path === s.path) ?? SECTIONS[0];
  return (
    <div className="page admin">
      <header className="page-header">
        <h1>{t('admin.title')}</h1>
      </header>
      <nav className="subnav" aria-label={t('admin.title')}>
        {SECTIONS.map((s) => (
          <Link key={s.path} to={s.path} className={s === current ? 'active' : ''} aria-current={s === current ? 'page' : undefined}>
            {t(s.key)}
          </Link>
        ))}
      </nav>
      {current.path === '/admin/profiles' && <ProfilesAdmin />}
      {current.path === '/admin/members' && <MembersAdmin />}
      {current.path === '/admin/policies' && <PoliciesAdmin />}
      {current.path === '/admin/audit' && <AuditLog />}
      {current.path === '/admin/usage' && <UsageAdmin />}
    </div>
  );
}
