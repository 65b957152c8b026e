// The orders micro frontend. It knows its service and that service's resource; the shell lends
// it access tokens. It could live in another repository and ship on its own schedule.

function element(name, text) {
  const node = document.createElement(name);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function mount(root, { api, resource, getAccessToken }) {
  const heading = element('h2', 'Your orders');
  heading.id = 'orders-heading';
  root.setAttribute('aria-labelledby', heading.id);
  const reload = element('button', 'Reload orders');
  reload.type = 'button';
  const status = element('p');
  status.setAttribute('role', 'status');
  const list = element('ul');
  const audience = element('p');
  audience.className = 'token';
  root.append(heading, reload, status, list, audience);

  async function load() {
    status.textContent = 'Loading…';
    status.removeAttribute('class');
    status.setAttribute('role', 'status');
    list.replaceChildren();
    audience.textContent = '';
    try {
      const token = await getAccessToken(resource);
      const response = await fetch(`${api}/orders`, { headers: { authorization: `Bearer ${token}` } });
      const body = await response.json();
      if (!response.ok) throw new Error(`Refused by the orders service: ${response.status} ${body.error ?? ''} (${body.error_description})`);
      status.textContent = `${body.orders.length} orders`;
      for (const order of body.orders) list.append(element('li', `${order.id} · ${order.item} · ${order.total} · ${order.status}`));
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
