/**
 * The adults' app (phone first, rail on wider screens): library, create,
 * kids, admin (for those who may) and settings.
 */
import type { ReactNode } from 'react';
import { can } from '../../../shapes/permissions.ts';
import { AdminHome } from '../admin/AdminHome.tsx';
import { Link, match, navigate, usePath } from '../app/router.tsx';
import { useMe } from '../app/session.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useOfflineHousekeeping } from '../offline/use-offline-housekeeping.ts';
import { usePolicies } from '../policies/use-policies.ts';
import { Icon, type IconName } from '../ui/icons.tsx';
import { SyncBar } from '../ui/SyncBar.tsx';
import { CreateStory } from './CreateStory.tsx';
import { KidsSummary } from './KidsSummary.tsx';
import { Library } from './Library.tsx';
import { Settings } from './Settings.tsx';
import { StoryDetail } from './StoryDetail.tsx';
import { StoryEditor } from './StoryEditor.tsx';

export default function AdultApp() {
  const t = useT();
  const me = useMe();
  const { path } = usePath();
  const policies = usePolicies();
  // Adults download by choice only; clean-up still applies.
  useOfflineHousekeeping(policies.offline_auto_download, me.user.id, false);
  const isAdmin = ['users.manage', 'profiles.manage', 'policies.manage', 'audit.read'].some((a) => can(me.permissions, a as never));
  const canCreate = can(me.permissions, 'stories.create');

  const tabs: Array<{ to: string; label: string; icon: IconName; show: boolean }> = [
    { to: '/library', label: t('nav.library'), icon: 'book', show: true },
    { to: '/create', label: t('nav.create'), icon: 'sparkles', show: canCreate },
    { to: '/kids', label: t('nav.kids'), icon: 'users', show: true },
    { to: '/admin', label: t('nav.admin'), icon: 'shield', show: isAdmin },
    { to: '/settings', label: t('nav.settings'), icon: 'settings', show: true },
  ];

  let screen: ReactNode;
  let params: Record<string, string> | null;
  if ((params = match('/stories/:id/edit', path))) screen = <StoryEditor storyId={params.id!} />;
  else if ((params = match('/stories/:id', path))) screen = <StoryDetail storyId={params.id!} />;
  else if (path === '/write') screen = <StoryEditor />;
  else if (path === '/create' && canCreate) screen = <CreateStory />;
  else if (path === '/kids') screen = <KidsSummary />;
  else if (path.startsWith('/admin') && isAdmin) screen = <AdminHome path={path} />;
  else if (path === '/settings') screen = <Settings />;
  else if (path === '/library') screen = <Library />;
  else {
    queueMicrotask(() => navigate('/library', { replace: true }));
    screen = <Library />;
  }

  return (
    <div className="adult-shell">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <nav className="adult-nav" aria-label="Talemo">
        <div className="nav-brand">
          <img src="/icons/icon-192.png" alt="" width="36" height="36" />
          <span>{me.tenant.name}</span>
        </div>
        <ul>
          {tabs
            .filter((tab) => tab.show)
            .map((tab) => {
              const active = path === tab.to || path.startsWith(`${tab.to}/`) || (tab.to === '/library' && path.startsWith('/stories'));
              return (
                <li key={tab.to}>
                  <Link to={tab.to} className={`nav-item${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined}>
                    <Icon name={tab.icon} size={22} />
                    <span>{tab.label}</span>
                  </Link>
                </li>
              );
            })}
        </ul>
      </nav>
      <main id="main" className="adult-main" tabIndex={-1}>
        <SyncBar />
        {screen}
      </main>
    </div>
  );
}
