// The profile micro frontend. It knows its service and that service's resource; the shell lends
// it access tokens. It could live in another repository and ship on its own schedule.

function element(name, text) {
  const node = document.createElement(name);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function mount(root, { api, resource, getAccessToken }) {
  const heading = element('h2', 'Your profile');
  heading.id = 'profile-heading';
  root.setAttribute('aria-labelledby', heading.id);
  const reload = element('button', 'Reload profile');
  reload.type = 'button';
  const status = element('p');
  status.setAttribute('role', 'status');
  const details = element('dl');
  const audience = element('p');
  audience.className = 'token';
  root.append(heading, reload, status, details, audience);

  async function load() {
    status.textContent = 'Loading…';
    status.removeAttribute('class');
    status.setAttribute('role', 'status');
    details.replaceChildren();
    audience.textContent = '';
    try {
      const token = await getAccessToken(resource);
      const response = await fetch(`${api}/me`, { headers: { authorization: `Bearer ${token}` } });
      const body = await response.json();
      if (!response.ok) throw new Error(`Refused by the profile service: ${response.status} ${body.error ?? ''} (${body.error_description})`);
      status.textContent = 'Profile loaded';
      for (const [term, value] of [['Tier', body.profile.tier], ['Points', body.profile.points], ['Ships to', body.profile.shipTo]]) {
        details.append(element('dt', term), element('dd', String(value)));
      }
      audience.textContent = `Token for ${body.audience}, scope ${body.scope}`;
    } catch (error) {
      status.setAttribute('role', 'alert');
      status.className = 'error';
      status.textContent = error.message;
    }
  }

  reload.addEventListener('click', load);
  load();
}
