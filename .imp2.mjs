const t=process.cpuUsage();
const w=performance.now();
await import(process.argv[2]);
const c=process.cpuUsage(t); console.log(Math.round((c.user+c.system)/1000),'ms cpu', Math.round(performance.now()-w), 'wall', 'total since start', Math.round((process.cpuUsage().user+process.cpuUsage().system)/1000));
