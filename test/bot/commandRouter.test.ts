import assert from 'node:assert/strict';
import { routeText } from '../../bot/commandRouter';

describe('reading a message as a command', () => {
  it('matches the first word, case-insensitively, with the rest as arguments', () => {
    const route = routeText('Associate  ABC-123 ', 'personal');
    assert.equal(route.kind, 'command');
    assert.equal(route.kind === 'command' && route.command.name, 'associate');
    assert.equal(route.kind === 'command' && route.args, 'ABC-123');
  });

  it('accepts a leading slash and ignores other people\'s mentions', () => {
    assert.equal(routeText('/help', 'personal').kind, 'command');
    assert.equal(routeText('<at>Priya</at> help', 'team').kind, 'command');
  });

  it('knows only the commands of the scope it is in', () => {
    assert.equal(routeText('profile', 'team').kind, 'unknown');
    assert.equal(routeText('approvals', 'team').kind, 'command');
  });

  it('reads cancel words alone as cancel, and nothing as empty', () => {
    assert.equal(routeText('Stop', 'personal').kind, 'cancel');
    assert.equal(routeText('stop the request', 'personal').kind, 'unknown');
    assert.equal(routeText('   ', 'personal').kind, 'empty');
  });

  it('suggests a command for a close typo, and none for unrelated text', () => {
    const typo = routeText('aprovals', 'personal');
    assert.equal(typo.kind === 'unknown' && typo.suggestion?.name, 'approvals');
    const far = routeText('weather', 'personal');
    assert.equal(far.kind === 'unknown' && far.suggestion, undefined);
  });
});
