// Answers questions about npm versions and ranges with the real node-semver, for
// tests/unit/versioning/test_npm_semver.py. One JSON document on stdin, one on stdout:
//   in:  {"options": {"includePrerelease": bool}, "ranges": [range, ...],
//         "pairs": [[range, version], ...], "versions": [version, ...]}
//   out: {"ranges": [desugared range | null, ...],   null where validRange() rejects it
//         "satisfies": [bool, ...], "max": [version | null, ...] (maxSatisfying(versions, range)),
//         "valid": [bool, ...] (valid(version) for each of versions), "sorted": [version, ...]}
'use strict'
const semver = require('semver')

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'))
const options = input.options || {}
const ranges = input.ranges || []
const versions = input.versions || []

const desugar = (range) => {
  try {
    return new semver.Range(range, options).range
  } catch (er) {
    return null
  }
}

process.stdout.write(JSON.stringify({
  ranges: ranges.map(desugar),
  satisfies: (input.pairs || []).map(([r, v]) => semver.satisfies(v, r, options)),
  max: ranges.map((r) => semver.maxSatisfying(versions, r, options)),
  valid: versions.map((v) => semver.valid(v, options) !== null),
  sorted: semver.sort(versions.filter((v) => semver.valid(v, options) !== null), options),
}))
